package io.farine.autoconfigure;

import io.farine.amqp.BrokerConnections;
import io.farine.outbox.OutboxHealthIndicator;
import io.farine.outbox.OutboxRelay;
import io.farine.amqp.BrokerHealthContributor;
import io.farine.registry.EtcdServiceRegistry;
import io.farine.registry.RegistryHealthIndicator;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * farine's health indicators, with Spring Boot's health support on the classpath: one per
 * broker ({@code farineBrokers}), the registry's ({@code farineRegistry}) and the outbox relay's
 * ({@code farineOutbox}). Apart from
 * {@link FarineAutoConfiguration} and after it, so that its bean conditions see the beans that
 * configuration defines.
 */
@AutoConfiguration(after = { FarineAutoConfiguration.class, FarineOutboxAutoConfiguration.class })
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
public final class FarineHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "farineBrokers")
	@ConditionalOnBean(BrokerConnections.class)
	BrokerHealthContributor farineBrokers(BrokerConnections brokers) {
		return new BrokerHealthContributor(brokers);
	}

	@Bean
	@ConditionalOnMissingBean(name = "farineOutboxHealthIndicator")
	@ConditionalOnBean(OutboxRelay.class)
	OutboxHealthIndicator farineOutboxHealthIndicator(OutboxRelay relay) {
		return new OutboxHealthIndicator(relay);
	}

	@Bean
	@ConditionalOnMissingBean(name = "farineRegistryHealthIndicator")
	@ConditionalOnBean(EtcdServiceRegistry.class)
	RegistryHealthIndicator farineRegistryHealthIndicator(EtcdServiceRegistry registry) {
		return new RegistryHealthIndicator(registry);
	}

}
