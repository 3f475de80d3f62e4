package io.farine.autoconfigure;

import io.farine.actuate.FarineEndpoint;
import io.farine.amqp.BrokerConnections;
import io.farine.config.FarineProperties;
import io.farine.execute.ExecuteMethods;
import io.farine.registry.EtcdServiceRegistry;
import io.farine.service.ServiceEndpoints;
import io.farine.sse.SseListeners;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The {@code farine} Actuator endpoint, with Spring Boot Actuator on the classpath; exposed over
 * HTTP as any endpoint is ({@code management.endpoints.web.exposure.include=farine}).
 */
@AutoConfiguration(after = FarineAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
public final class FarineEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(ServiceEndpoints.class)
	FarineEndpoint farineEndpoint(ServiceEndpoints endpoints, FarineProperties properties, BrokerConnections brokers,
			ObjectProvider<SseListeners> sse, ObjectProvider<ExecuteMethods> execute,
			ObjectProvider<EtcdServiceRegistry> registry, ApplicationContext context) {
		return new FarineEndpoint(endpoints, properties, brokers, sse, execute, registry, context);
	}

}
