package io.farine.outbox;

import java.util.Map;

import io.farine.amqp.Publish;
import io.farine.amqp.Publisher;
import io.farine.service.FarineService;
import io.farine.test.Postgres;
import io.farine.test.Rabbit;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.DefaultResourceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox relay's meters, bound by the {@code farineOutboxMeterBinder} bean beside the relay:
 * bound with Micrometer, replaced by a bean of that name, absent without Micrometer's {@code MeterBinder}. Against the
 * local PostgreSQL (a database of its own) and RabbitMQ.
 */
class OutboxMetersIntegrationTests {

	private static Postgres database;

	private String service;

	@BeforeAll
	static void createDatabase() throws Exception {
		database = new Postgres("outbox_meters");
	}

	@AfterAll
	static void dropDatabase() throws Exception {
		database.close();
	}

	@BeforeEach
	void names() {
		this.service = Rabbit.unique("outbox-meters");
	}

	private SpringApplicationBuilder app(Class<?> app) {
		return new SpringApplicationBuilder(app).web(WebApplicationType.NONE)
			.properties("farine.defaults.amqp_uri=" + Rabbit.URI, "spring.datasource.url=" + database.url(),
					"spring.datasource.username=" + Postgres.USER, "t.service=" + this.service);
	}

	private static MeterRegistry bindAll(ConfigurableApplicationContext context) {
		MeterRegistry meters = new SimpleMeterRegistry();
		context.getBeansOfType(MeterBinder.class).values().forEach((binder) -> binder.bindTo(meters));
		return meters;
	}

	@Test
	void theRelaysBacklogAndParkedRowsAreMetersOfTheirOwnBinder() {
		try (ConfigurableApplicationContext context = app(Events.class).run()) {
			MeterRegistry meters = bindAll(context);
			assertThat(meters.get("farine.outbox.backlog").gauge().value()).isGreaterThanOrEqualTo(0);
			assertThat(meters.get("farine.outbox.backlog").gauge().getId().getDescription())
				.isEqualTo("Messages waiting in the outbox table");
			assertThat(meters.get("farine.outbox.parked").functionCounter().count()).isZero();
			assertThat(meters.get("farine.outbox.parked").functionCounter().getId().getDescription())
				.isEqualTo("Outbox rows the broker refused for good, moved to the parking table");
			// farine's other binders leave them to this one
			MeterRegistry others = new SimpleMeterRegistry();
			context.getBean("farineMeterBinder", MeterBinder.class).bindTo(others);
			context.getBean("farineAmqpMeterBinder", MeterBinder.class).bindTo(others);
			assertThat(others.find("farine.outbox.backlog").meter()).isNull();
			assertThat(others.find("farine.consumers").gauge()).isNotNull();
		}
	}

	@Test
	void aBeanNamedFarineOutboxMeterBinderReplacesTheRelaysMetersOnly() {
		try (ConfigurableApplicationContext context = app(OwnBinder.class).run()) {
			MeterRegistry meters = bindAll(context);
			assertThat(meters.find("farine.outbox.backlog").meter()).isNull();
			assertThat(meters.find("farine.outbox.parked").meter()).isNull();
			assertThat(meters.get("own.meter").counter()).isNotNull();
			assertThat(meters.find("farine.consumers").gauge()).isNotNull();
		}
	}

	@Test
	void withoutMicrometersMeterBinderFarineHasNoBinder() {
		try (ConfigurableApplicationContext context = app(Events.class)
			.resourceLoader(new DefaultResourceLoader(new FilteredClassLoader(MeterBinder.class)))
			.run()) {
			// (Spring Boot's own binders are conditional on other classes, which this test does not hide)
			assertThat(context.getBeansOfType(MeterBinder.class)).doesNotContainKeys("farineMeterBinder",
					"farineAmqpMeterBinder", "farineOutboxMeterBinder");
			assertThat(context.getBean(OutboxRelay.class).isRunning()).isTrue();
		}
	}

	@FarineService("${t.service}")
	static class Publishing {

		@Publish(exchange = "${t.service}", routingKey = "events")
		Publisher out;

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(Publishing.class)
	static class Events {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(Publishing.class)
	static class OwnBinder {

		@Bean
		MeterBinder farineOutboxMeterBinder() {
			return (registry) -> registry.counter("own.meter");
		}

	}

}
