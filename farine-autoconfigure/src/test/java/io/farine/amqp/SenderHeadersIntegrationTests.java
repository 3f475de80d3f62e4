package io.farine.amqp;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.AMQP;
import io.farine.autoconfigure.FarineAutoConfiguration;
import io.farine.registry.EtcdServiceRegistry;
import io.farine.service.FarineInstance;
import io.farine.service.FarineService;
import io.farine.test.Rabbit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A consumer learns which service and instance sent a message when a farine publisher sent it,
 * and nothing when another publisher did (a raw client here, a Python service in production).
 */
class SenderHeadersIntegrationTests {

	private final String exchange = Rabbit.unique("sender");

	private final String key = Rabbit.unique("sender-q");

	@AfterEach
	void tearDown() throws Exception {
		try (Rabbit rabbit = new Rabbit()) {
			rabbit.deleteQuietly(this.key, this.key + ".dlq");
			rabbit.deleteExchangeQuietly(this.exchange);
		}
	}

	@Test
	void aFarinePublisherNamesItsServiceAndInstanceAndARawPublishNamesNone() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FarineAutoConfiguration.class))
			.withUserConfiguration(Shop.class, Billing.class)
			.withPropertyValues("farine.defaults.amqp_uri=" + Rabbit.URI, "t.exchange=" + this.exchange,
					"t.key=" + this.key)
			.run((context) -> {
				Shop shop = context.getBean(Shop.class);
				String instance = context.getBean(FarineInstance.class).id();
				assertThat(instance).matches("[0-9a-f]{32}")
					.isEqualTo(context.getBean(EtcdServiceRegistry.class).instanceId());

				context.getBean(Billing.class).orders.publish("from billing");
				Sender farine = shop.received.poll(10, TimeUnit.SECONDS);
				assertThat(farine).isEqualTo(new Sender("from billing", Optional.of("billing"), Optional.of(instance)));

				context.getBean(Billing.class).orders
					.publish("with a header", PublishOptions.DEFAULTS.withHeader("x-tenant", "acme"));
				assertThat(shop.received.poll(10, TimeUnit.SECONDS))
					.isEqualTo(new Sender("with a header", Optional.of("billing"), Optional.of(instance)));

				try (Rabbit rabbit = new Rabbit()) {
					rabbit.publish(this.exchange, this.key,
							new AMQP.BasicProperties.Builder().contentType("application/json").build(),
							"\"raw\"".getBytes(StandardCharsets.UTF_8));
				}
				assertThat(shop.received.poll(10, TimeUnit.SECONDS))
					.isEqualTo(new Sender("raw", Optional.empty(), Optional.empty()));
			});
	}

	record Sender(String body, Optional<String> service, Optional<String> instance) {
	}

	@FarineService("shop")
	static class Shop {

		final BlockingQueue<Sender> received = new LinkedBlockingQueue<>();

		@Consume(exchange = "${t.exchange}", routingKey = "${t.key}")
		void on(String body, FarineMessage message) {
			this.received.add(new Sender(body, message.senderService(), message.senderInstance()));
		}

	}

	@FarineService("billing")
	static class Billing {

		@Publish(exchange = "${t.exchange}", routingKey = "${t.key}")
		Publisher orders;

	}

}
