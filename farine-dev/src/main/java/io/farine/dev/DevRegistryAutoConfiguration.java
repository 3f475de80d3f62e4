package io.farine.dev;

import io.farine.autoconfigure.FarineAutoConfiguration;
import io.farine.config.FarineProperties;
import io.farine.registry.ServiceRegistry;
import io.farine.service.ServiceEndpoints;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The in-process registry, when {@link DevServicesPostProcessor} found the configured etcd missing
 * on a loopback address and no {@code etcd} binary to start. It replaces the etcd registry, which
 * backs off when a {@link ServiceRegistry} bean exists.
 */
@AutoConfiguration(before = FarineAutoConfiguration.class)
@ConditionalOnProperty(name = DevServicesPostProcessor.IN_PROCESS_REGISTRY_PROPERTY, havingValue = "true")
public final class DevRegistryAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(ServiceRegistry.class)
	InProcessServiceRegistry farineInProcessServiceRegistry(ServiceEndpoints endpoints, FarineProperties properties,
			Environment environment) {
		return new InProcessServiceRegistry(endpoints, properties, environment);
	}

}
