package io.farine.registry;

import io.farine.config.FarineProperties;
import io.farine.config.RegistrySettings;
import io.farine.service.FarineThreads;
import io.farine.service.HandlerInvoker;
import io.farine.service.JsonCodec;
import io.farine.service.ServiceEndpoints;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The etcd registry, unless the application has a {@link ServiceRegistry} of its own, its
 * {@code /provide} endpoint and its {@code @OnMemberEvent} methods; imported by
 * {@code FarineAutoConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
class RegistryConfiguration {

	@Bean
	@ConditionalOnMissingBean(ServiceRegistry.class)
	EtcdServiceRegistry farineServiceRegistry(ServiceEndpoints endpoints, FarineProperties properties,
			Environment environment, JsonCodec codec, FarineThreads threads) {
		return new EtcdServiceRegistry(endpoints, properties, environment, codec, threads);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(EtcdServiceRegistry.class)
	ProvideEndpoint farineProvideEndpoint(EtcdServiceRegistry registry, FarineProperties properties) {
		RegistrySettings settings = properties.registry("");
		return new ProvideEndpoint(registry, settings.provide());
	}

	@Bean
	@ConditionalOnBean(EtcdServiceRegistry.class)
	MemberEventHandlers farineMemberEventHandlers(EtcdServiceRegistry registry, ServiceEndpoints endpoints,
			HandlerInvoker invoker, FarineThreads threads) {
		return new MemberEventHandlers(registry, endpoints, invoker, threads);
	}

}
