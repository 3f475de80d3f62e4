package io.farine.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Import;

/**
 * farine's health indicators, with Spring Boot's health support on the classpath: one per
 * broker ({@code farineBrokers}), the registry's ({@code farineRegistry}) and the outbox relay's
 * ({@code farineOutbox}). Apart from
 * {@link FarineAutoConfiguration} and after it, so that its bean conditions see the beans that
 * configuration defines.
 */
@AutoConfiguration(after = { FarineAutoConfiguration.class, FarineOutboxAutoConfiguration.class })
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@Import(FarineHealthAutoConfiguration.Health.class)
public final class FarineHealthAutoConfiguration {

	static final class Health extends ImportByName {

		Health() {
			super("io.farine.amqp.BrokerHealthConfiguration", "io.farine.outbox.OutboxHealthConfiguration",
					"io.farine.registry.RegistryHealthConfiguration");
		}

	}

}
