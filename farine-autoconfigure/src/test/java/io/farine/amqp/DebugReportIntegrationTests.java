package io.farine.amqp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.rabbitmq.client.AMQP;
import io.farine.autoconfigure.FarineAutoConfiguration;
import io.farine.rpc.RpcMethod;
import io.farine.service.FarineService;
import io.farine.test.Rabbit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The original's {@code __debug__}: with {@code debug = true}, a message or RPC request whose
 * body has {@code "__debug__": true} makes the service publish where the time went, to its
 * exchange with routing key {@code debug}; other messages publish nothing.
 */
class DebugReportIntegrationTests {

	private final String service = Rabbit.unique("debugged");

	private final JsonMapper json = new JsonMapper();

	@AfterEach
	void tearDown() throws Exception {
		try (Rabbit rabbit = new Rabbit()) {
			rabbit.deleteQuietly(this.service, this.service + ".dlq", this.service + "__add", this.service + ".reports",
					this.service + ".replies");
			rabbit.deleteExchangeQuietly(this.service);
		}
	}

	@Test
	void aBodyAskingForItsTimingsGetsThemPublished() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FarineAutoConfiguration.class))
			.withPropertyValues("farine.defaults.amqp_uri=" + Rabbit.URI, "t.service=" + this.service,
					"farine.services." + this.service + ".debug=true")
			.withBean(Debugged.class)
			.run((context) -> {
				try (Rabbit rabbit = new Rabbit()) {
					String reports = this.service + ".reports";
					rabbit.channel().queueDeclare(reports, false, false, false, null);
					rabbit.channel().queueBind(reports, this.service, DebugReports.ROUTING_KEY);
					publish(rabbit, this.service, "plain", "{\"n\": 1}");
					publish(rabbit, this.service, "asked", "{\"n\": 2, \"__debug__\": true}");
					JsonNode consumed = report(rabbit, reports);
					assertThat(consumed.path("kind").asString()).isEqualTo("consume");
					assertThat(consumed.path("target").asString()).isEqualTo(this.service);
					assertThat(consumed.path("id").asString()).isEqualTo("asked");
					assertThat(consumed.path("outcome").asString()).isEqualTo("success");
					assertThat(names(consumed.path("timings_ms"))).containsExactly("arguments", "handler", "reply",
							"total");
					assertThat(context.getBean(Debugged.class).received).hasSize(2);

					String replies = this.service + ".replies";
					rabbit.channel().queueDeclare(replies, false, false, false, null);
					rabbit.channel().queueBind(replies, this.service, replies);
					AMQP.BasicProperties request = new AMQP.BasicProperties.Builder().contentType("application/json")
						.correlationId("c1")
						.replyTo(replies)
						.build();
					rabbit.publish(this.service, this.service + "__add", request,
							"{\"args\": [1, 2], \"kwargs\": {}, \"__debug__\": true}".getBytes(StandardCharsets.UTF_8));
					assertThat(this.json.readTree(rabbit.take(replies).getBody()).path("body").asInt()).isEqualTo(3);
					JsonNode served = report(rabbit, reports);
					assertThat(served.path("kind").asString()).isEqualTo("rpc");
					assertThat(served.path("target").asString()).isEqualTo(this.service + ".add");
					assertThat(served.path("id").asString()).isEqualTo("c1");
					assertThat(served.path("timings_ms").path("total").asDouble())
						.isGreaterThanOrEqualTo(served.path("timings_ms").path("handler").asDouble());
				}
			});
	}

	private JsonNode report(Rabbit rabbit, String queue) {
		return this.json.readTree(rabbit.take(queue).getBody());
	}

	private static List<String> names(JsonNode object) {
		return object.propertyNames().stream().toList();
	}

	private static void publish(Rabbit rabbit, String service, String id, String body) throws Exception {
		rabbit.publish(service, service, new AMQP.BasicProperties.Builder().contentType("application/json")
			.messageId(id)
			.build(), body.getBytes(StandardCharsets.UTF_8));
	}

	@FarineService("${t.service}")
	static class Debugged {

		final List<Map<String, Object>> received = new CopyOnWriteArrayList<>();

		@Consume
		void on(Map<String, Object> body) {
			this.received.add(body);
		}

		@RpcMethod
		int add(int a, int b) {
			return a + b;
		}

	}

}
