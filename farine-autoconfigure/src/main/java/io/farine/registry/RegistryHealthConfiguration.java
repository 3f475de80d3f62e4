package io.farine.registry;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The registry's health ({@code farineRegistry}); imported by {@code FarineHealthAutoConfiguration}. */
@Configuration(proxyBeanMethods = false)
class RegistryHealthConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "farineRegistryHealthIndicator")
	@ConditionalOnBean(EtcdServiceRegistry.class)
	RegistryHealthIndicator farineRegistryHealthIndicator(EtcdServiceRegistry registry) {
		return new RegistryHealthIndicator(registry);
	}

}
