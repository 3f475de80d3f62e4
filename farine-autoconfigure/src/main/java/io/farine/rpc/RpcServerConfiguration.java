package io.farine.rpc;

import io.farine.amqp.BrokerConnections;
import io.farine.config.FarineProperties;
import io.farine.observation.FarineObservations;
import io.farine.service.HandlerInvoker;
import io.farine.service.JsonCodec;
import io.farine.service.ServiceEndpoints;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The server of the application's {@code @RpcMethod}s; imported by {@code FarineAutoConfiguration}. */
@Configuration(proxyBeanMethods = false)
class RpcServerConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RpcServer farineRpcServer(ServiceEndpoints endpoints, FarineProperties properties, BrokerConnections brokers,
			HandlerInvoker invoker, JsonCodec codec, FarineObservations observations) {
		return new RpcServer(endpoints, properties, brokers, invoker, codec, observations);
	}

}
