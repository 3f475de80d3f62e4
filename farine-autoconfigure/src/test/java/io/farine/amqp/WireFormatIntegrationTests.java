package io.farine.amqp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import io.farine.autoconfigure.FarineAutoConfiguration;
import io.farine.test.Rabbit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What farine puts on the wire, read back with the raw RabbitMQ client and checked against
 * docs/wire-protocol.md, the contract with Python (kombu) peers.
 */
class WireFormatIntegrationTests {

	@Test
	void publishedMessageHasExactlyThePropertiesAPythonPeerExpects() throws Exception {
		String exchange = Rabbit.unique("wire");
		String queue = Rabbit.unique("wire-q");
		try (Rabbit rabbit = new Rabbit()) {
			new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FarineAutoConfiguration.class))
				.withUserConfiguration(Sender.class)
				.withPropertyValues("farine.defaults.amqp_uri=" + Rabbit.URI, "t.exchange=" + exchange)
				.run((context) -> {
					rabbit.channel().queueDeclare(queue, false, false, true, null);
					rabbit.channel().queueBind(queue, exchange, "orders");
					Publisher publisher = context.getBean(Sender.class).publisher;
					publisher.publish(Map.of("id", 7, "name", "café"));
					publisher.publish(Map.of("id", 8), PublishOptions.DEFAULTS.withHeader("x-trace", "t-1")
						.withTtl(Duration.ofSeconds(30))
						.withPersistent(false));

					GetResponse plain = rabbit.take(queue);
					AMQP.BasicProperties properties = plain.getProps();
					assertThat(properties.getContentType()).isEqualTo("application/json");
					assertThat(properties.getContentEncoding()).isEqualTo("utf-8");
					assertThat(properties.getDeliveryMode()).isEqualTo(2);
					assertThat(properties.getMessageId()).matches("[0-9a-f]{32}");
					// the sender, in headers a Python peer ignores; nothing else
					assertThat(properties.getHeaders()).containsOnlyKeys(FarineMessage.SENDER_SERVICE_HEADER,
							FarineMessage.SENDER_INSTANCE_HEADER);
					assertThat(properties.getExpiration()).isNull();
					assertThat(plain.getEnvelope().getExchange()).isEqualTo(exchange);
					assertThat(plain.getEnvelope().getRoutingKey()).isEqualTo("orders");
					assertThat(new String(plain.getBody(), StandardCharsets.UTF_8)).contains("café");
					assertThat(new JsonMapper().readTree(plain.getBody()))
						.isEqualTo(new JsonMapper().readTree("{\"id\":7,\"name\":\"café\"}"));

					GetResponse optioned = rabbit.take(queue);
					assertThat(optioned.getProps().getHeaders()).containsOnlyKeys("x-trace",
							FarineMessage.SENDER_SERVICE_HEADER, FarineMessage.SENDER_INSTANCE_HEADER);
					assertThat(optioned.getProps().getHeaders().get("x-trace")).hasToString("t-1");
					assertThat(optioned.getProps().getExpiration()).isEqualTo("30000");
					assertThat(optioned.getProps().getDeliveryMode()).isEqualTo(1);
				});
			assertThat(rabbit.channel().exchangeDeclarePassive(exchange)).isNotNull();
		}
	}

	@Test
	void queuesAndExchangesAreDeclaredWithoutArgumentsSoPythonDeclarationsMatch() throws Exception {
		String exchange = Rabbit.unique("decl");
		String key = Rabbit.unique("decl-q");
		try (Rabbit rabbit = new Rabbit()) {
			// A Python service declared them first, durable and with no arguments, as kombu does.
			rabbit.channel().exchangeDeclare(exchange, "direct", true, false, null);
			rabbit.channel().queueDeclare(key, true, false, false, null);
			new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FarineAutoConfiguration.class))
				.withUserConfiguration(PublishConsumeIntegrationTests.Orders.class)
				.withPropertyValues("farine.defaults.amqp_uri=" + Rabbit.URI, "t.exchange=" + exchange, "t.key=" + key)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					rabbit.publish(exchange, key, PublishConsumeIntegrationTests.json(),
							"{\"id\":\"py\",\"qty\":1}".getBytes(StandardCharsets.UTF_8));
					assertThat(context.getBean(PublishConsumeIntegrationTests.Orders.class).received
						.poll(10, java.util.concurrent.TimeUnit.SECONDS))
						.isEqualTo(new PublishConsumeIntegrationTests.Order("py", 1));
				});
			rabbit.deleteQuietly(key, key + ".dlq");
			rabbit.channel().exchangeDelete(exchange);
		}
	}

	static class Sender {

		@Publish(exchange = "${t.exchange}", routingKey = "orders")
		Publisher publisher;

	}

}
