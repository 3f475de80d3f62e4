package io.farine.test;

import java.time.Duration;

import io.micrometer.observation.ObservationRegistry;

import io.farine.amqp.BrokerConnections;
import io.farine.config.FarineProperties;
import io.farine.rpc.RpcClientFactory;
import io.farine.service.JsonCodec;
import io.farine.service.ServiceEndpoints;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * What {@link FarineTest} adds to the application: the {@link FarineTestClient}, the recorder of
 * consumed messages, and an {@link ObservationRegistry} when the application has none (without
 * one, farine makes no observations and the recorder would see nothing).
 */
@Configuration(proxyBeanMethods = false)
final class FarineTestConfiguration {

	/** Name of the registry added when the application has none. */
	static final String REGISTRY_BEAN = "farineTestObservationRegistry";

	@Bean
	static HandlingRecorder farineTestHandlingRecorder() {
		return new HandlingRecorder();
	}

	@Bean
	static BeanDefinitionRegistryPostProcessor farineTestObservationRegistryIfNone() {
		return (BeanDefinitionRegistry registry) -> {
			if (registry instanceof DefaultListableBeanFactory beans
					&& beans.getBeanNamesForType(ObservationRegistry.class, true, false).length == 0) {
				registry.registerBeanDefinition(REGISTRY_BEAN,
						new RootBeanDefinition(ObservationRegistry.class, ObservationRegistry::create));
			}
		};
	}

	@Bean
	FarineTestClient farineTestClient(HandlingRecorder recorder, ServiceEndpoints endpoints,
			FarineProperties properties, BrokerConnections brokers, JsonCodec codec, RpcClientFactory rpc,
			Environment environment) {
		Duration timeout = environment.getProperty("farine.test.timeout", Duration.class, Duration.ofSeconds(10));
		return new FarineTestClient(recorder, endpoints, properties, brokers, codec, rpc, timeout);
	}

}
