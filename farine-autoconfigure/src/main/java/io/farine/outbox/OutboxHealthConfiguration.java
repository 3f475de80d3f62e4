package io.farine.outbox;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The outbox relay's health ({@code farineOutbox}); imported by {@code FarineHealthAutoConfiguration}. */
@Configuration(proxyBeanMethods = false)
class OutboxHealthConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "farineOutboxHealthIndicator")
	@ConditionalOnBean(OutboxRelay.class)
	OutboxHealthIndicator farineOutboxHealthIndicator(OutboxRelay relay) {
		return new OutboxHealthIndicator(relay);
	}

}
