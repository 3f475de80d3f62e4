package io.farine.amqp;

import io.farine.config.AmqpAddress;
import io.farine.config.FarineProperties;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.amqp.autoconfigure.RabbitProperties;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * farine's {@code amqp_uri} and Spring Boot's {@code spring.rabbitmq.*} name one broker, whichever
 * is set, and what is set explicitly wins.
 */
class SharedBrokerTests {

	private static ConfigurableApplicationContext run(String... arguments) {
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).run(arguments);
	}

	@Test
	void farinesAmqpUriIsBootsBrokerToo() {
		try (ConfigurableApplicationContext context = run(
				"--farine.defaults.amqp_uri=amqp://app:s%40cret@rabbit.internal:5673/%2Fshop")) {
			RabbitProperties boot = context.getBean(RabbitProperties.class);
			assertThat(boot.getHost()).isEqualTo("rabbit.internal");
			assertThat(boot.getPort()).isEqualTo(5673);
			assertThat(boot.getUsername()).isEqualTo("app");
			assertThat(boot.getPassword()).isEqualTo("s@cret");
			assertThat(boot.getVirtualHost()).isEqualTo("/shop");
		}
	}

	@Test
	void bootsOwnSettingWinsOverTheOneMadeFromAmqpUri() {
		try (ConfigurableApplicationContext context = run("--farine.defaults.amqp_uri=amqp://rabbit.internal//",
				"--spring.rabbitmq.host=elsewhere")) {
			assertThat(context.getBean(RabbitProperties.class).getHost()).isEqualTo("elsewhere");
		}
	}

	@Test
	void withoutAmqpUriFarineUsesBootsBroker() {
		try (ConfigurableApplicationContext context = run("--spring.rabbitmq.host=rabbit.internal",
				"--spring.rabbitmq.port=5673", "--spring.rabbitmq.username=app", "--spring.rabbitmq.password=p@ss word",
				"--spring.rabbitmq.virtual-host=shop")) {
			assertThat(context.getBean(FarineProperties.class).service("orders").amqpUri())
				.hasToString("amqp://app:p%40ss%20word@rabbit.internal:5673/shop");
			assertThat(AmqpAddress.parseAll(context.getBean(FarineProperties.class).service("orders").amqpUri()).get(0))
				.isEqualTo(new AmqpAddress(false, "rabbit.internal", 5673, "app", "p@ss word", "shop"));
		}
	}

	@Test
	void severalNodesInAmqpUriBecomeBootsAddresses() {
		try (ConfigurableApplicationContext context = run(
				"--farine.defaults.amqp_uri=amqp://app:pw@rabbit-1:5681/shop;amqp://app:pw@rabbit-2:5682/shop")) {
			RabbitProperties rabbit = context.getBean(RabbitProperties.class);
			assertThat(rabbit.getAddresses()).containsExactly("rabbit-1:5681", "rabbit-2:5682");
			assertThat(rabbit.getUsername()).isEqualTo("app");
			assertThat(rabbit.getVirtualHost()).isEqualTo("shop");
		}
	}

	@Test
	void withoutAmqpUriFarineUsesEveryNodeOfBootsAddresses() {
		try (ConfigurableApplicationContext context = run("--spring.rabbitmq.addresses=rabbit-1:5681, rabbit-2",
				"--spring.rabbitmq.username=app", "--spring.rabbitmq.password=pw")) {
			assertThat(AmqpAddress.parseAll(context.getBean(FarineProperties.class).service("orders").amqpUri()))
				.containsExactly(new AmqpAddress(false, "rabbit-1", 5681, "app", "pw", "/"),
						new AmqpAddress(false, "rabbit-2", 5672, "app", "pw", "/"));
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

	}

}
