package io.farine.amqp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.rabbitmq.client.AMQP;
import io.farine.autoconfigure.FarineAutoConfiguration;
import io.farine.rpc.RpcMethod;
import io.farine.service.FarineService;
import io.farine.test.Rabbit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code __debug__} with {@code debug = true}: a consumed message whose body carries a truthy
 * {@code __debug__} sends, as the Python original's consumer does, a copy of its body with the
 * report in {@code __debug__} to the consumer's exchange with routing key {@code debug}, into the
 * durable {@code debug} queue it declares there; an RPC request with {@code "__debug__": true}
 * gets farine's own report on the service's exchange. Other messages send nothing.
 */
class DebugReportIntegrationTests {

	private final String service = Rabbit.unique("debugged");

	private final JsonMapper json = new JsonMapper();

	@AfterEach
	void tearDown() throws Exception {
		try (Rabbit rabbit = new Rabbit()) {
			rabbit.deleteQuietly(this.service, this.service + ".dlq", this.service + "__add", this.service + ".reports",
					this.service + ".replies", DebugQueue.NAME);
			rabbit.deleteExchangeQuietly(this.service);
		}
	}

	@BeforeEach
	void noDebugQueue() throws Exception {
		try (Rabbit rabbit = new Rabbit()) {
			rabbit.deleteQuietly(DebugQueue.NAME);
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
					await().atMost(Duration.ofSeconds(10)).until(() -> rabbit.queueExists(DebugQueue.NAME));
					JsonNode copy = report(rabbit, DebugQueue.NAME);
					assertThat(names(copy)).containsExactly("n", "__debug__");
					assertThat(copy.path("n").asInt()).isEqualTo(2);
					assertThat(copy.path("__debug__").asString()).startsWith("farine timings (ms)\n")
						.contains(" arguments\n", " handler\n", " reply\n", " total\n");
					assertThat(report(rabbit, reports)).isEqualTo(copy);
					assertThat(context.getBean(Debugged.class).received).hasSize(2);
					// a Python tool declares the queue as the original does: durable, no arguments
					rabbit.channel().queueDeclare(DebugQueue.NAME, true, false, false, null);

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
					assertThat(served.path("__debug__").asString()).startsWith("farine timings (ms)\n");
					assertThat(report(rabbit, DebugQueue.NAME)).isEqualTo(served);
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
