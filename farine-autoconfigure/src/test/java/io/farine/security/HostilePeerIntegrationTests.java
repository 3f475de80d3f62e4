package io.farine.security;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import io.farine.amqp.BrokerConnections;
import io.farine.amqp.Consume;
import io.farine.amqp.DroppedMessages;
import io.farine.autoconfigure.FarineAutoConfiguration;
import io.farine.autoconfigure.FarineClusterAutoConfiguration;
import io.farine.cluster.ClusterEvent;
import io.farine.cluster.FarineEvents;
import io.farine.cluster.FarineQueries;
import io.farine.cluster.OnEvent;
import io.farine.cluster.OnQuery;
import io.farine.cluster.QueryAnswer;
import io.farine.cluster.QueryOptions;
import io.farine.rpc.RpcClient;
import io.farine.rpc.RpcMethod;
import io.farine.rpc.RpcOperations;
import io.farine.service.FarineService;
import io.farine.test.Rabbit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A running service, on the real broker, fed a catalogue of bad input by a peer that does not
 * play by farine's rules: bodies that are not JSON or not the expected JSON, deep nesting, huge
 * numbers, odd content types, headers of every AMQP type, RPC requests without reply-to or
 * correlation id, replies nobody asked for, queries that aim their answers at another queue,
 * events larger than {@code max_message_size}. For each, the service answers or dead-letters
 * with the reason, or drops and counts what has nobody to tell; and after each, it still handles
 * a good message of every kind, on no more channels than it had.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostilePeerIntegrationTests {

	private static final JsonMapper json = new JsonMapper();

	private final String service = Rabbit.unique("hostile");

	private final String key = Rabbit.unique("orders");

	private final String victim = Rabbit.unique("victim");

	private Rabbit rabbit;

	private String replyQueue;

	private ConfigurableApplicationContext app;

	private int channels;

	private int good;

	@BeforeAll
	void start() throws Exception {
		this.rabbit = new Rabbit();
		this.app = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.properties("farine.defaults.amqp_uri=" + Rabbit.URI, "spring.application.name=" + this.service,
					"t.service=" + this.service, "t.key=" + this.key, "farine.defaults.consume_retries=0")
			.run();
		this.replyQueue = this.rabbit.channel().queueDeclare().getQueue();
		this.rabbit.channel().queueBind(this.replyQueue, this.service, this.replyQueue);
		this.rabbit.channel().queueDeclare(this.victim, false, false, true, null);
		// everything once, so that every channel the service opens lazily is open before counting
		consume("{\"id\": \"poison\", \"qty\": 1}".getBytes(StandardCharsets.UTF_8), json(), null);
		deadLetter();
		stillServing();
		this.channels = Rabbit.channelsOf(this.service);
	}

	@AfterAll
	void stop() throws Exception {
		this.app.close();
		this.rabbit.deleteQuietly(this.key, this.key + ".dlq", this.service + "__add", this.victim);
		this.rabbit.deleteExchangeQuietly(this.service);
		this.rabbit.close();
	}

	/** After every bad input: a good message of each kind is handled, on no more channels than before. */
	@AfterEach
	void stillServingOnNoMoreChannels() throws Exception {
		stillServing();
		assertThat(Rabbit.channelsOf(this.service)).isLessThanOrEqualTo(this.channels);
	}

	private void stillServing() {
		String id = "good-" + (++this.good);
		consume(("{\"id\": \"" + id + "\", \"qty\": 1}").getBytes(StandardCharsets.UTF_8), json(), null);
		await().atMost(Duration.ofSeconds(20)).until(() -> target().orders.contains(id));
		assertThat(target().self.call("add", Integer.class, 1, 2)).isEqualTo(3);
		this.app.getBean(FarineEvents.class).send("good", Map.of("n", this.good));
		await().atMost(Duration.ofSeconds(20)).until(() -> target().events.contains(this.good));
		QueryAnswer answer = this.app.getBean(FarineQueries.class)
			.query("status", Map.of(), QueryOptions.all().withTimeout(Duration.ofSeconds(20)))
			.filter((answered) -> answered.kind() == QueryAnswer.Kind.RESPONSE)
			.blockFirst(Duration.ofSeconds(30));
		assertThat(answer).isNotNull();
	}

	// @Consume

	static Stream<Arguments> badBodies() {
		return Stream.of(
				Arguments.of("not JSON", bytes("hello"), json(), "not valid JSON"),
				Arguments.of("JSON of the wrong shape", bytes("[1, 2]"), json(), "Cannot convert"),
				Arguments.of("a field of the wrong type", bytes("{\"id\": \"x\", \"qty\": \"many\"}"), json(),
						"Cannot convert"),
				Arguments.of("an empty body", new byte[0], json(), "empty"),
				Arguments.of("100,000 nested arrays", bytes("[".repeat(100_000) + "]".repeat(100_000)), json(),
						"nesting depth"),
				Arguments.of("a number of 10 MB", bytes("{\"id\": \"x\", \"qty\": " + "9".repeat(10_000_000) + "}"),
						json(), "Number value length"),
				Arguments.of("text/plain that is not JSON", bytes("hello"),
						json().builder().contentType("text/plain").build(), "not valid JSON"),
				Arguments.of("a gzip content encoding", bytes("\u001f\u008b"),
						json().builder().contentEncoding("gzip").build(), "not valid JSON"),
				Arguments.of("a body over max_message_size", new byte[17 * 1024 * 1024], json(),
						"is larger than max_message_size"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badBodies")
	void aBadBodyIsDeadLetteredWithItsReason(String what, byte[] body, AMQP.BasicProperties properties,
			String reason) throws Exception {
		String id = consume(body, properties, null);
		GetResponse dead = deadLetter();
		assertThat(dead.getProps().getMessageId()).isNotEqualTo(id);
		assertThat(dead.getProps().getHeaders().get("x-exception-message").toString()).as(what).containsIgnoringCase(reason);
		assertThat(dead.getBody()).isEqualTo(body);
	}

	@Test
	void aJsonBodyIsReadAsJsonWhateverItsContentTypeAndEncodingSay() {
		consume(bytes("{\"id\": \"plain\", \"qty\": 1}"),
				json().builder().contentType("text/plain").contentEncoding("binary").build(), null);
		consume(bytes("{\"id\": \"untyped\", \"qty\": 1}"), new AMQP.BasicProperties(), null);
		await().atMost(Duration.ofSeconds(20)).until(() -> target().orders.containsAll(List.of("plain", "untyped")));
	}

	@Test
	void headersOfEveryAmqpTypeAreCarriedThroughHandlingAndDeadLettering() throws Exception {
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("x-string", "text");
		headers.put("x-int", 1);
		headers.put("x-long", Long.MAX_VALUE);
		headers.put("x-short", (short) 2);
		headers.put("x-byte", (byte) 3);
		headers.put("x-double", 1.5);
		headers.put("x-float", 2.5f);
		headers.put("x-decimal", new BigDecimal("12.34"));
		headers.put("x-boolean", true);
		headers.put("x-timestamp", new Date(1_700_000_000_000L));
		headers.put("x-bytes", new byte[] { 1, 2, 3 });
		headers.put("x-list", List.of(1, "two", List.of(3)));
		headers.put("x-table", Map.of("level1", Map.of("level2", Map.of("level3", "deep"))));
		headers.put("x-void", null);
		headers.put("x-large", "l".repeat(100_000));
		consume(bytes("{\"id\": \"typed\", \"qty\": 1}"), json(), headers);
		await().atMost(Duration.ofSeconds(20)).until(() -> target().orders.contains("typed"));
		consume(bytes("{\"id\": \"poison\", \"qty\": 1}"), json(), headers);
		Map<String, Object> dead = deadLetter().getProps().getHeaders();
		assertThat(dead).containsKeys("x-string", "x-int", "x-long", "x-short", "x-byte", "x-double", "x-float",
				"x-decimal", "x-boolean", "x-timestamp", "x-bytes", "x-list", "x-table", "x-large");
		assertThat(dead.get("x-table").toString()).contains("deep");
		assertThat(dead.get("x-exception-message").toString()).contains("poison");
	}

	@Test
	void headersThatNearlyFillAFrameAreDroppedFromTheDeadLetterCopyAndNamed() throws Exception {
		consume(bytes("not json"), json(), Map.of("x-huge", "h".repeat(130_700)));
		Map<String, Object> dead = deadLetter().getProps().getHeaders();
		assertThat(dead).doesNotContainKey("x-huge");
		assertThat(dead.get("x-exception-message").toString()).contains("x-huge (");
	}

	// RPC server

	static Stream<Arguments> badRequests() {
		return Stream.of(Arguments.of("not JSON", bytes("hello"), "not valid JSON"),
				Arguments.of("not an object", bytes("[1, 2]"), "not a JSON object with args and kwargs"),
				Arguments.of("args not an array", bytes("{\"args\": \"x\"}"), "'args' is not a JSON array"),
				Arguments.of("arguments of the wrong type", bytes("{\"args\": [\"a\", \"b\"], \"kwargs\": {}}"),
						"Cannot convert"),
				Arguments.of("an empty body", new byte[0], "empty"),
				Arguments.of("100,000 nested arrays",
						bytes("{\"args\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}"), "nesting depth"),
				Arguments.of("a number of 10 MB", bytes("{\"args\": [" + "9".repeat(10_000_000) + ", 1]}"),
						"Number value length"),
				Arguments.of("a request over max_message_size", new byte[17 * 1024 * 1024],
						"is larger than max_message_size"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badRequests")
	void aBadRequestIsAnsweredWithAnErrorNamingWhatWasWrong(String what, byte[] body, String reason) throws Exception {
		String correlationId = Rabbit.unique("call");
		request(body, this.replyQueue, correlationId);
		GetResponse reply = this.rabbit.take(this.replyQueue);
		assertThat(reply.getProps().getCorrelationId()).isEqualTo(correlationId);
		Map<String, Object> frame = json.readValue(reply.getBody(), new tools.jackson.core.type.TypeReference<Map<String, Object>>() { });
		assertThat(frame).containsOnlyKeys("__except__");
		assertThat(frame.get("__except__").toString()).as(what).containsIgnoringCase(reason);
	}

	@Test
	void aRequestWithoutReplyToOrCorrelationIdIsServedWithoutHarm() throws Exception {
		request(bytes("{\"args\": [1, 2]}"), null, "no-reply-to");
		request(bytes("{\"args\": [1, 2]}"), this.replyQueue, null);
		GetResponse reply = this.rabbit.take(this.replyQueue);
		assertThat(reply.getProps().getCorrelationId()).isNull();
		assertThat(new String(reply.getBody(), StandardCharsets.UTF_8)).contains("3");
	}

	@Test
	void aReplyToNamingAQueueNotBoundToTheServiceReachesNothing() throws Exception {
		request(bytes("{\"args\": [1, 2]}"), this.victim, "aimed");
		// the service has replied once a call queued behind it is answered
		assertThat(target().self.call("add", Integer.class, 2, 2)).isEqualTo(4);
		assertThat(this.rabbit.channel().messageCount(this.victim)).isZero();
	}

	// RPC client

	@Test
	void repliesNobodyAskedForAreDroppedAndCounted() throws Exception {
		String clientQueue = clientReplyQueue();
		long unknown = dropped(DroppedMessages.Reason.REPLY_UNKNOWN_CALL);
		long large = dropped(DroppedMessages.Reason.REPLY_TOO_LARGE);
		AMQP.BasicProperties forged = json().builder().correlationId("0123456789abcdef0123456789abcdef").build();
		this.rabbit.publish(this.service, clientQueue, forged, bytes("{\"body\": 666, \"__end__\": true}"));
		this.rabbit.publish(this.service, clientQueue, forged, bytes("not json"));
		this.rabbit.publish(this.service, clientQueue, json(), bytes("{\"__except__\": \"no correlation id\"}"));
		this.rabbit.publish(this.service, clientQueue, forged, new byte[17 * 1024 * 1024]);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> dropped(DroppedMessages.Reason.REPLY_UNKNOWN_CALL) == unknown + 3
					&& dropped(DroppedMessages.Reason.REPLY_TOO_LARGE) == large + 1);
	}

	// cluster

	@Test
	void aQueryAimingItsAnswersAtAnotherQueueIsDroppedAndCounted() throws Exception {
		long before = dropped(DroppedMessages.Reason.QUERY_REPLY_TO_NOT_AN_ASKER);
		query(this.victim);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> dropped(DroppedMessages.Reason.QUERY_REPLY_TO_NOT_AN_ASKER) == before + 1);
		// an answers queue that no process asks from: routed nowhere by the answers exchange
		query("farine.answers.0123456789abcdef0123456789abcdef");
		stillServing();
		assertThat(this.rabbit.channel().messageCount(this.victim)).isZero();
	}

	@Test
	void anEventLargerThanMaxMessageSizeIsDroppedAndCounted() throws Exception {
		long before = dropped(DroppedMessages.Reason.EVENT_TOO_LARGE);
		this.rabbit.publish("farine.events", "", cluster("big").build(), new byte[17 * 1024 * 1024]);
		await().atMost(Duration.ofSeconds(20)).until(() -> dropped(DroppedMessages.Reason.EVENT_TOO_LARGE) == before + 1);
		assertThat(target().names).doesNotContain("big");
	}

	@Test
	void anEventThatIsNotJsonReachesNoHandlerThatNeedsJson() throws Exception {
		this.rabbit.publish("farine.events", "", cluster("typed").build(), bytes("not json"));
		this.app.getBean(FarineEvents.class).send("typed", Map.of("n", -1));
		await().atMost(Duration.ofSeconds(20)).until(() -> target().events.contains(-1));
		assertThat(target().events).doesNotContainNull();
	}

	// helpers

	private Target target() {
		return this.app.getBean(Target.class);
	}

	private long dropped(DroppedMessages.Reason reason) {
		return this.app.getBean(BrokerConnections.class).dropped().count(reason);
	}

	private String consume(byte[] body, AMQP.BasicProperties properties, Map<String, Object> headers) {
		String id = Rabbit.unique("m");
		try {
			this.rabbit.publish(this.service, this.key, properties.builder().messageId(id).headers(headers).build(),
					body);
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
		return id;
	}

	private GetResponse deadLetter() {
		return this.rabbit.take(this.key + ".dlq");
	}

	private void request(byte[] body, String replyTo, String correlationId) throws Exception {
		this.rabbit.publish(this.service, this.service + "__add",
				json().builder().replyTo(replyTo).correlationId(correlationId).build(), body);
	}

	private void query(String replyTo) throws Exception {
		this.rabbit.publish("farine.queries", "", cluster("status").messageId(Rabbit.unique("q"))
			.headers(Map.of("x-farine-name", "status", "x-farine-sender", "forged", "x-farine-reply-to", replyTo,
					"x-farine-ack", true, "x-farine-codec", "json"))
			.build(), bytes("{}"));
	}

	private static AMQP.BasicProperties.Builder cluster(String name) {
		return json().builder()
			.messageId(Rabbit.unique("e"))
			.headers(Map.of("x-farine-name", name, "x-farine-sender", "forged", "x-farine-codec", "json"));
	}

	/** The reply queue of the service's own RPC client: bound to the service's exchange with its 32-hex name. */
	private String clientReplyQueue() throws Exception {
		Process process = new ProcessBuilder("rabbitmqctl", "-q", "list_bindings", "--no-table-headers", "source_name",
				"destination_name").redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		process.waitFor();
		return output.lines()
			.map((line) -> line.split("\t"))
			.filter((columns) -> columns.length == 2 && columns[0].equals(this.service)
					&& columns[1].matches("[0-9a-f]{32}"))
			.map((columns) -> columns[1])
			.findFirst()
			.orElseThrow(() -> new AssertionError("no reply queue bound to " + this.service + " in " + output));
	}

	private static AMQP.BasicProperties json() {
		return new AMQP.BasicProperties.Builder().contentType("application/json").contentEncoding("utf-8").build();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ JacksonAutoConfiguration.class, FarineAutoConfiguration.class,
			FarineClusterAutoConfiguration.class })
	static class App {

		@Bean
		Target target() {
			return new Target();
		}

	}

	record Order(String id, int qty) {
	}

	@FarineService("${t.service}")
	static class Target {

		final List<String> orders = new CopyOnWriteArrayList<>();

		final List<Integer> events = new CopyOnWriteArrayList<>();

		final List<String> names = new CopyOnWriteArrayList<>();

		@RpcClient("${t.service}")
		RpcOperations self;

		@Consume(exchange = "${t.service}", routingKey = "${t.key}")
		void order(Order order) {
			if ("poison".equals(order.id())) {
				throw new IllegalStateException("poison order");
			}
			this.orders.add(order.id());
		}

		@RpcMethod
		int add(int a, int b) {
			return a + b;
		}

		@OnEvent("*")
		void any(ClusterEvent event) {
			this.names.add(event.name());
		}

		@OnEvent("good")
		void good(Map<String, Integer> payload) {
			this.events.add(payload.get("n"));
		}

		@OnEvent("typed")
		void typed(Map<String, Integer> payload) {
			this.events.add(payload.get("n"));
		}

		@OnQuery("status")
		Map<String, Object> status() {
			return Map.of("ok", true);
		}

	}

}
