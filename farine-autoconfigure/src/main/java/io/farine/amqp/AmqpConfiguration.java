package io.farine.amqp;

import io.farine.config.FarineProperties;
import io.farine.observation.FarineObservations;
import io.farine.service.FarineInstance;
import io.farine.service.HandlerInvoker;
import io.farine.service.JsonCodec;
import io.farine.service.ServiceEndpoints;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The broker connections and the runtime of the application's publishers and consumers, with
 * the {@code farine.consumers} gauge when Micrometer is on the classpath; imported by
 * {@code FarineAutoConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
class AmqpConfiguration {

	@Bean
	@ConditionalOnMissingBean
	BrokerConnections farineBrokerConnections(Environment environment, ObjectProvider<SslBundles> sslBundles) {
		return new BrokerConnections("farine:" + environment.getProperty("spring.application.name", "application"),
				sslBundles.getIfAvailable());
	}

	@Bean
	ConsumeArguments.Factory farineConsumeArguments(JsonCodec codec, FarineProperties properties) {
		return new ConsumeArguments.Factory(codec, properties);
	}

	@Bean
	@ConditionalOnMissingBean
	AmqpRuntime farineAmqpRuntime(ServiceEndpoints endpoints, FarineProperties properties,
			BrokerConnections brokers, HandlerInvoker invoker, JsonCodec codec, ObjectProvider<Outbox> outbox,
			ObjectProvider<Inbox> inbox, FarineObservations observations, ObjectProvider<FarineInstance> instance) {
		return new AmqpRuntime(endpoints, properties, brokers, invoker, codec, outbox::getIfUnique, inbox::getIfUnique,
				observations, () -> instance.getIfAvailable(() -> new FarineInstance(Wire.newId())));
	}

	/** The consumers' gauge ({@code farineAmqpMeterBinder}), with Micrometer on the classpath. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class Metrics {

		@Bean
		@ConditionalOnMissingBean(name = "farineAmqpMeterBinder")
		MeterBinder farineAmqpMeterBinder(ObjectProvider<AmqpRuntime> amqp) {
			return (registry) -> amqp.ifAvailable((runtime) -> Gauge
				.builder("farine.consumers", runtime, AmqpRuntime::consumers)
				.description("Consumers taking messages for @Consume methods")
				.register(registry));
		}

	}

}
