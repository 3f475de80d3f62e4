package io.farine.rpc;

import io.farine.amqp.BrokerConnections;
import io.farine.config.FarineProperties;
import io.farine.observation.FarineObservations;
import io.farine.registry.ServiceRegistry;
import io.farine.service.FarineThreads;
import io.farine.service.HandlerInvoker;
import io.farine.service.JsonCodec;
import io.farine.service.ServiceEndpoints;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The server of the application's {@code @RpcMethod}s and the factory of its RPC clients;
 * imported by {@code FarineAutoConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
class RpcConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RpcServer farineRpcServer(ServiceEndpoints endpoints, FarineProperties properties, BrokerConnections brokers,
			HandlerInvoker invoker, JsonCodec codec, FarineObservations observations) {
		return new RpcServer(endpoints, properties, brokers, invoker, codec, observations);
	}

	@Bean
	ArgumentBinder.Factory farineRpcArguments(JsonCodec codec) {
		return new ArgumentBinder.Factory(codec);
	}

	@Bean
	@ConditionalOnMissingBean
	RpcClientFactory farineRpcClientFactory(FarineProperties properties, BrokerConnections brokers,
			JsonCodec codec, ConfigurableListableBeanFactory beanFactory,
			ObjectProvider<ServiceRegistry> registry, FarineObservations observations, FarineThreads threads) {
		return new RpcClientFactory(properties, brokers, codec, beanFactory::resolveEmbeddedValue,
				registry::getIfAvailable, observations, threads);
	}

}
