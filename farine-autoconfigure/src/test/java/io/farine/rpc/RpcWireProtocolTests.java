package io.farine.rpc;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import io.farine.autoconfigure.FarineAutoConfiguration;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The RPC protocol on the wire, with the raw RabbitMQ client playing the Python farine side by
 * hand: a Python client calling the Java server, and a Python server answering the Java client.
 * Every property and every JSON key is checked exactly (docs/wire-protocol.md).
 */
class RpcWireProtocolTests {

	private static final JsonMapper json = new JsonMapper();

	private Rabbit rabbit;

	private String service;

	private ApplicationContextRunner runner;

	@BeforeEach
	void setUp() throws Exception {
		this.rabbit = new Rabbit();
		this.service = Rabbit.unique("wire");
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FarineAutoConfiguration.class))
			.withPropertyValues("farine.defaults.amqp_uri=" + Rabbit.URI, "t.service=" + this.service);
	}

	@AfterEach
	void tearDown() throws Exception {
		this.rabbit.deleteQuietly(Calculator.queues(this.service));
		this.rabbit.deleteQuietly(this.service + "__numbers");
		this.rabbit.deleteExchangeQuietly(this.service);
		this.rabbit.close();
	}

	@Test
	void aPythonClientCallsTheJavaServer() {
		this.runner.withUserConfiguration(Calculator.class).run((context) -> {
			String replyQueue = pythonReplyQueue();
			String id = "0123456789abcdef0123456789abcdef";
			request("add", id, replyQueue, "{\"args\": [1, 2], \"kwargs\": {}}");
			GetResponse item = this.rabbit.take(replyQueue);
			assertReplyProperties(item, id, replyQueue);
			assertThat(frame(item)).isEqualTo(Map.of("body", 3, "__end__", false));
			GetResponse end = this.rabbit.take(replyQueue);
			assertReplyProperties(end, id, replyQueue);
			assertThat(frame(end)).isEqualTo(Map.of("__end__", true));

			request("count", "c1", replyQueue, "{\"args\": [], \"kwargs\": {\"n\": 3}}");
			for (int i = 0; i < 3; i++) {
				assertThat(frame(this.rabbit.take(replyQueue))).isEqualTo(Map.of("body", i, "__end__", false));
			}
			assertThat(frame(this.rabbit.take(replyQueue))).isEqualTo(Map.of("__end__", true));

			request("falsy", "f1", replyQueue, "{\"args\": [\"null\"]}");
			assertThat(new String(this.rabbit.take(replyQueue).getBody(), StandardCharsets.UTF_8))
				.isEqualTo("{\"body\":null,\"__end__\":false}");
			assertThat(frame(this.rabbit.take(replyQueue))).isEqualTo(Map.of("__end__", true));

			request("boom", "b1", replyQueue, "{\"args\": [], \"kwargs\": {}}");
			GetResponse error = this.rabbit.take(replyQueue);
			assertReplyProperties(error, "b1", replyQueue);
			assertThat(frame(error)).isEqualTo(Map.of("__except__", "java.lang.IllegalStateException: boom"));
			assertThat(error.getProps().getHeaders()).containsEntry("x-exception-type",
					com.rabbitmq.client.impl.LongStringHelper.asLongString("java.lang.IllegalStateException"));
			assertThat(this.rabbit.channel().messageCount(replyQueue)).isZero();
		});
	}

	@Test
	void aFarineCallerMarkingItsPlainCallGetsTheResultAndTheEndInOneFrame() {
		this.runner.withUserConfiguration(Calculator.class).run((context) -> {
			String replyQueue = pythonReplyQueue();
			AMQP.BasicProperties compact = new AMQP.BasicProperties.Builder().contentType("application/json")
				.contentEncoding("utf-8")
				.correlationId("k1")
				.replyTo(replyQueue)
				.headers(Map.of("x-farine-reply", "compact"))
				.build();
			this.rabbit.publish(this.service, this.service + "__add", compact,
					"{\"args\": [1, 2], \"kwargs\": {}}".getBytes(StandardCharsets.UTF_8));
			GetResponse only = this.rabbit.take(replyQueue);
			assertReplyProperties(only, "k1", replyQueue);
			assertThat(frame(only)).isEqualTo(Map.of("body", 3, "__end__", true));
			// an unmarked call next: its two frames come right after, so no end frame of k1 was sent
			request("add", "k2", replyQueue, "{\"args\": [2, 2], \"kwargs\": {}}");
			GetResponse item = this.rabbit.take(replyQueue);
			assertThat(item.getProps().getCorrelationId()).isEqualTo("k2");
			assertThat(frame(item)).isEqualTo(Map.of("body", 4, "__end__", false));
			assertThat(frame(this.rabbit.take(replyQueue))).isEqualTo(Map.of("__end__", true));
		});
	}

	@Test
	void aFarineCallerMarkingItsStreamGetsTheItemsInBatchesThenTheEnd() {
		this.runner.withUserConfiguration(Calculator.class).run((context) -> {
			String replyQueue = pythonReplyQueue();
			AMQP.BasicProperties batched = new AMQP.BasicProperties.Builder().contentType("application/json")
				.contentEncoding("utf-8")
				.correlationId("s1")
				.replyTo(replyQueue)
				.headers(Map.of("x-farine-reply", "batch"))
				.build();
			this.rabbit.publish(this.service, this.service + "__count", batched,
					"{\"args\": [200], \"kwargs\": {}}".getBytes(StandardCharsets.UTF_8));
			List<Object> items = new java.util.ArrayList<>();
			Map<String, Object> frame = frame(this.rabbit.take(replyQueue));
			while (frame.containsKey("__items__")) {
				assertThat(frame).containsEntry("__end__", false).hasSize(2);
				List<?> batch = (List<?>) frame.get("__items__");
				assertThat(batch).isNotEmpty().hasSizeLessThanOrEqualTo(64);
				items.addAll(batch);
				frame = frame(this.rabbit.take(replyQueue));
			}
			assertThat(frame).isEqualTo(Map.of("__end__", true));
			assertThat(items).isEqualTo(java.util.stream.IntStream.range(0, 200).boxed().toList());
		});
	}

	@Test
	void malformedRequestsGetAnErrorReplyAndTheServerGoesOn() {
		this.runner.withUserConfiguration(Calculator.class).run((context) -> {
			String replyQueue = pythonReplyQueue();
			request("add", "m1", replyQueue, "this is not json");
			assertThat((String) frame(this.rabbit.take(replyQueue)).get("__except__"))
				.startsWith("io.farine.service.ArgumentConversionException: Body is not valid JSON");
			request("add", "m2", replyQueue, "[1, 2]");
			assertThat((String) frame(this.rabbit.take(replyQueue)).get("__except__"))
				.contains("the request is not a JSON object with args and kwargs");
			request("add", "m3", replyQueue, "{\"args\": {\"a\": 1}}");
			assertThat((String) frame(this.rabbit.take(replyQueue)).get("__except__")).contains("'args' is not a JSON array");
			request("add", "m4", replyQueue, "{\"args\": [1, 2]}");
			assertThat(frame(this.rabbit.take(replyQueue))).isEqualTo(Map.of("body", 3, "__end__", false));
		});
	}

	@Test
	void thePythonServerAnswersTheJavaClient() {
		this.runner.withUserConfiguration(RpcIntegrationTests.Clients.class).run((context) -> {
			String queue = pythonServerQueue("numbers");
			RpcOperations client = context.getBean(RpcIntegrationTests.Clients.class).calculator;
			CompletableFuture<List<Object>> items = CompletableFuture.supplyAsync(() -> {
				try (Stream<Object> stream = client.request("numbers").args(2).kwarg("x", "y").stream(Object.class)) {
					return stream.toList();
				}
			});
			GetResponse request = this.rabbit.take(queue);
			AMQP.BasicProperties properties = request.getProps();
			assertThat(frame(request)).isEqualTo(Map.of("args", List.of(2), "kwargs", Map.of("x", "y")));
			assertThat(properties.getContentType()).isEqualTo("application/json");
			assertThat(properties.getContentEncoding()).isEqualTo("utf-8");
			assertThat(properties.getCorrelationId()).matches("[0-9a-f]{32}");
			assertThat(properties.getReplyTo()).matches("[0-9a-f]{32}");
			assertThat(properties.getExpiration()).isEqualTo("10000");
			assertThat(request.getEnvelope().getExchange()).isEqualTo(this.service);
			assertThat(request.getEnvelope().getRoutingKey()).isEqualTo(this.service + "__numbers");
			reply(properties, "{\"body\": 0, \"__end__\": false}");
			reply(properties, "{\"body\": \"\", \"__end__\": false}");
			reply(properties, "{\"body\": [], \"__end__\": false}");
			reply(properties, "{\"__end__\": true}");
			assertThat(items.join()).containsExactly(0, "", List.of());

			CompletableFuture<JsonNode> single = CompletableFuture.supplyAsync(() -> client.call("numbers"));
			reply(this.rabbit.take(queue).getProps(), "{\"body\": false, \"__end__\": false}");
			assertThat(single.join().asBoolean(true)).isFalse();

			// a plain call is marked for a compact reply, which a Python server ignores and a farine one sends
			CompletableFuture<JsonNode> compact = CompletableFuture.supplyAsync(() -> client.call("numbers"));
			GetResponse marked = this.rabbit.take(queue);
			assertThat(marked.getProps().getHeaders()).containsKey("x-farine-reply");
			assertThat(marked.getProps().getHeaders().get("x-farine-reply")).hasToString("compact");
			reply(marked.getProps(), "{\"body\": 42, \"__end__\": true}");
			assertThat(compact.join().asInt()).isEqualTo(42);

			// a stream is marked for batches, which a farine server sends and the client unpacks in order
			CompletableFuture<List<Object>> batched = CompletableFuture.supplyAsync(() -> {
				try (Stream<Object> stream = client.request("numbers").stream(Object.class)) {
					return stream.toList();
				}
			});
			GetResponse streamRequest = this.rabbit.take(queue);
			assertThat(streamRequest.getProps().getHeaders().get("x-farine-reply")).hasToString("batch");
			reply(streamRequest.getProps(), "{\"__items__\": [1, null, \"a\"], \"__end__\": false}");
			reply(streamRequest.getProps(), "{\"body\": 4, \"__end__\": false}");
			reply(streamRequest.getProps(), "{\"__items__\": [5], \"__end__\": false}");
			reply(streamRequest.getProps(), "{\"__end__\": true}");
			assertThat(batched.join()).containsExactly(1, null, "a", 4, 5);
		});
	}

	@Test
	void aPythonTracebackBecomesARemoteExceptionWithTypeAndMessage() {
		this.runner.withUserConfiguration(RpcIntegrationTests.Clients.class).run((context) -> {
			String queue = pythonServerQueue("numbers");
			RpcOperations client = context.getBean(RpcIntegrationTests.Clients.class).calculator;
			CompletableFuture<JsonNode> call = CompletableFuture.supplyAsync(() -> client.call("numbers"));
			String traceback = "Traceback (most recent call last):\n  File \"service.py\", line 12, in numbers\n"
					+ "    raise ValueError('bad value: 42')\nValueError: bad value: 42\n";
			reply(this.rabbit.take(queue).getProps(), json.writeValueAsString(Map.of("__except__", traceback)));
			assertThatThrownBy(call::join).cause().isInstanceOfSatisfying(RpcRemoteException.class, (ex) -> {
				assertThat(ex.getRemoteType()).isEqualTo("ValueError");
				assertThat(ex.getRemoteMessage()).isEqualTo("bad value: 42");
				assertThat(ex.getRemoteText()).isEqualTo(traceback);
			});
		});
	}

	private String pythonReplyQueue() throws Exception {
		String name = io.farine.amqp.Wire.newId();
		this.rabbit.channel().queueDeclare(name, false, true, true, null);
		this.rabbit.channel().queueBind(name, this.service, name);
		return name;
	}

	private String pythonServerQueue(String method) throws Exception {
		String queue = this.service + "__" + method;
		this.rabbit.channel().exchangeDeclare(this.service, "direct", true);
		this.rabbit.channel().queueDeclare(queue, true, false, false, null);
		this.rabbit.channel().queueBind(queue, this.service, queue);
		return queue;
	}

	private void request(String method, String correlationId, String replyTo, String body) throws Exception {
		AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/json")
			.contentEncoding("utf-8")
			.correlationId(correlationId)
			.replyTo(replyTo)
			.deliveryMode(2)
			.build();
		this.rabbit.publish(this.service, this.service + "__" + method, properties, body.getBytes(StandardCharsets.UTF_8));
	}

	private void reply(AMQP.BasicProperties request, String body) throws Exception {
		AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/json")
			.contentEncoding("utf-8")
			.correlationId(request.getCorrelationId())
			.build();
		this.rabbit.publish(this.service, request.getReplyTo(), properties, body.getBytes(StandardCharsets.UTF_8));
	}

	private void assertReplyProperties(GetResponse reply, String correlationId, String replyQueue) {
		assertThat(reply.getProps().getContentType()).isEqualTo("application/json");
		assertThat(reply.getProps().getContentEncoding()).isEqualTo("utf-8");
		assertThat(reply.getProps().getCorrelationId()).isEqualTo(correlationId);
		assertThat(reply.getEnvelope().getExchange()).isEqualTo(this.service);
		assertThat(reply.getEnvelope().getRoutingKey()).isEqualTo(replyQueue);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> frame(GetResponse response) {
		return json.readValue(response.getBody(), Map.class);
	}

}
