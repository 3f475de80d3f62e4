package io.farine.amqp;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The brokers' health ({@code farineBrokers}); imported by {@code FarineHealthAutoConfiguration}. */
@Configuration(proxyBeanMethods = false)
class BrokerHealthConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "farineBrokers")
	@ConditionalOnBean(BrokerConnections.class)
	BrokerHealthContributor farineBrokers(BrokerConnections brokers) {
		return new BrokerHealthContributor(brokers);
	}

}
