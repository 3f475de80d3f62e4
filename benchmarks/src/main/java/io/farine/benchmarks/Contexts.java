package io.farine.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Starts the Spring applications of the in-process scenarios, quietly, and names things uniquely. */
final class Contexts {

	static final String BROKER_URI = "amqp://guest:guest@127.0.0.1:5672";

	/** An observation registry that turns farine's observations into timers. */
	@Configuration(proxyBeanMethods = false)
	static class Observed {

		@Bean
		ObservationRegistry observationRegistry() {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(new SimpleMeterRegistry()));
			return registry;
		}

	}

	private Contexts() {
	}

	static String unique(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	/** A farine application: farine's auto-configuration, not Spring Boot's RabbitMQ one. */
	static ConfigurableApplicationContext farine(Class<?> configuration, String... properties) {
		return farine(false, configuration, properties);
	}

	/** A farine application, {@code observed}: with an observation registry that keeps timers. */
	static ConfigurableApplicationContext farine(boolean observed, Class<?> configuration, String... properties) {
		List<String> all = new ArrayList<>(List.of("farine.defaults.amqp_uri=" + BROKER_URI,
				"spring.autoconfigure.exclude=org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration"));
		all.addAll(List.of(properties));
		return observed ? start(all, configuration, Observed.class) : start(all, configuration);
	}

	/** A plain Spring AMQP application: Spring Boot's RabbitMQ auto-configuration, not farine's. */
	static ConfigurableApplicationContext springAmqp(Class<?> configuration, String... properties) {
		List<String> all = new ArrayList<>(List.of("spring.rabbitmq.host=127.0.0.1",
				"spring.autoconfigure.exclude=io.farine.autoconfigure.FarineAutoConfiguration"));
		all.addAll(List.of(properties));
		return start(all, configuration);
	}

	private static ConfigurableApplicationContext start(List<String> properties, Class<?>... configuration) {
		List<String> all = new ArrayList<>(properties);
		all.add("logging.level.root=WARN");
		all.add("spring.main.banner-mode=off");
		return new SpringApplicationBuilder(configuration).web(WebApplicationType.NONE)
			.properties(all.toArray(String[]::new))
			.logStartupInfo(false)
			.run();
	}

}
