package io.farine.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.DefaultConsumer;
import io.farine.amqp.Consume;
import io.farine.amqp.Publish;
import io.farine.amqp.Publisher;
import io.farine.service.FarineService;
import io.farine.test.Rabbit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code dead-letters} operations of the {@code farine} endpoint over HTTP, against RabbitMQ,
 * with a consumer that dead-letters what it is sent while it refuses: list, peek (messages left
 * in place and in order), replay of one or all, purge, and queues that are not the application's.
 */
class DeadLetterEndpointIntegrationTests {

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = new JsonMapper();

	private final Rabbit rabbit;

	private final String exchange = Rabbit.unique("dle");

	private final String key = Rabbit.unique("dlk");

	private final String dlq = this.key + ".dlq";

	private final String other = Rabbit.unique("not-ours");

	private ConfigurableApplicationContext app;

	private Refusing refusing;

	private int port;

	DeadLetterEndpointIntegrationTests() throws Exception {
		this.rabbit = new Rabbit();
	}

	@AfterEach
	void stop() throws Exception {
		if (this.app != null) {
			this.app.close();
		}
		this.rabbit.deleteQuietly(this.key, this.dlq, this.other);
		this.rabbit.deleteExchangeQuietly(this.exchange);
		this.rabbit.close();
	}

	static ConfigurableApplicationContext start(String amqpUri, String exchange, String key) {
		return new SpringApplicationBuilder(App.class, Refusing.class).web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "server.address=127.0.0.1",
					"management.endpoints.web.exposure.include=farine", "farine.defaults.amqp_uri=" + amqpUri,
					"farine.defaults.consume_retries=0", "t.exchange=" + exchange, "t.key=" + key)
			.run();
	}

	private void start() {
		this.app = start(Rabbit.URI, this.exchange, this.key);
		this.refusing = this.app.getBean(Refusing.class);
		this.port = Integer.parseInt(this.app.getEnvironment().getProperty("local.server.port"));
	}

	/** Sends messages 0..count-1, each refused, and waits until all are in the dead-letter queue. */
	private void deadLetter(int count) {
		for (int n = 0; n < count; n++) {
			this.refusing.out.publish(Map.of("n", n));
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> ready(this.dlq) == count);
	}

	private long ready(String queue) throws Exception {
		return this.rabbit.channel().queueDeclarePassive(queue).getMessageCount();
	}

	@Test
	void listsEachConsumersDeadLetterQueueWithItsCountBesideTheEndpointsDescription() throws Exception {
		start();
		deadLetter(3);
		Answer list = call("GET", "/dead-letters");
		assertThat(list.status()).isEqualTo(200);
		JsonNode queue = list.body().path("queues").get(0);
		assertThat(queue.path("queue").asString()).isEqualTo(this.dlq);
		assertThat(queue.path("service").asString()).isEqualTo("refusing");
		assertThat(queue.path("consumerQueue").asString()).isEqualTo(this.key);
		assertThat(queue.path("messages").asLong()).isEqualTo(3);
		assertThat(queue.path("consumers").asInt()).isZero();
		Answer description = call("GET", "");
		assertThat(description.status()).isEqualTo(200);
		assertThat(description.body().path("services").path("refusing").path("consumers").get(0).path("queue")
			.asString()).isEqualTo(this.key);
	}

	@Test
	void aPeekShowsTheFirstMessagesAndLeavesThemInPlaceAndInOrder() throws Exception {
		start();
		deadLetter(5);
		Answer peek = call("GET", "/dead-letters/" + this.dlq + "?limit=3");
		assertThat(peek.status()).isEqualTo(200);
		assertThat(peek.body().path("messages").asLong()).isEqualTo(5);
		assertThat(bodies(peek.body())).containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}");
		JsonNode first = peek.body().path("first").get(0);
		assertThat(first.path("id").asString()).hasSize(32);
		assertThat(first.path("exceptionType").asString()).isEqualTo(IllegalStateException.class.getName());
		assertThat(first.path("exceptionMessage").asString()).isEqualTo("refused 0");
		assertThat(first.path("attempts").asInt()).isEqualTo(1);
		assertThat(first.path("originalQueue").asString()).isEqualTo(this.key);
		assertThat(first.path("originalExchange").asString()).isEqualTo(this.exchange);
		assertThat(first.path("originalRoutingKey").asString()).isEqualTo(this.key);
		assertThat(first.path("deadLetteredAt").asString()).matches("20\\d\\d-\\d\\d-\\d\\dT.*Z");
		assertThat(first.path("headers").has("x-exception-message")).isFalse();
		assertThat(first.path("contentType").asString()).isEqualTo("application/json");
		// taken and put back: the same five, still in order, for a second look and for the raw client
		Answer again = call("GET", "/dead-letters/" + this.dlq + "?limit=100");
		assertThat(bodies(again.body())).containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}", "{\"n\":3}",
				"{\"n\":4}");
		assertThat(ready(this.dlq)).isEqualTo(5);
		List<String> taken = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			taken.add(new String(this.rabbit.channel().basicGet(this.dlq, true).getBody()));
		}
		assertThat(taken).containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}");
	}

	@Test
	void aLargeBodyIsShownCutAtTheLimitWithItsSize() throws Exception {
		start();
		this.refusing.out.publish(Map.of("big", "x".repeat(5000)));
		await().atMost(Duration.ofSeconds(30)).until(() -> ready(this.dlq) == 1);
		JsonNode first = call("GET", "/dead-letters/" + this.dlq).body().path("first").get(0);
		assertThat(first.path("bodySize").asInt()).isEqualTo(5010);
		assertThat(first.path("body").asString()).hasSizeLessThan(1100).endsWith("(truncated)...");
		assertThat(call("GET", "/dead-letters/" + this.dlq + "?limit=0").status()).isEqualTo(400);
	}

	@Test
	void replayingOneMessageByIdLeavesTheOthersInOrder() throws Exception {
		start();
		deadLetter(5);
		String third = call("GET", "/dead-letters/" + this.dlq).body().path("first").get(2).path("id").asString();
		this.refusing.refuse = false;
		Answer replay = call("POST", "/dead-letters/" + this.dlq + "/replay/" + third);
		assertThat(replay.status()).isEqualTo(200);
		assertThat(replay.body().path("replayed").asInt()).isEqualTo(1);
		assertThat(replay.body().path("left").asLong()).isEqualTo(4);
		await().atMost(Duration.ofSeconds(20)).until(() -> this.refusing.handled.contains(2));
		assertThat(this.refusing.handled).containsExactly(2);
		assertThat(bodies(call("GET", "/dead-letters/" + this.dlq).body())).containsExactly("{\"n\":0}",
				"{\"n\":1}", "{\"n\":3}", "{\"n\":4}");
		Answer missing = call("POST", "/dead-letters/" + this.dlq + "/replay/" + third);
		assertThat(missing.status()).isEqualTo(404);
		assertThat(missing.error()).contains("No message with id '" + third + "'");
	}

	@Test
	void replayingAllSendsEveryMessageBackToItsExchangeAndEmptiesTheQueue() throws Exception {
		start();
		deadLetter(5);
		this.refusing.refuse = false;
		Answer replay = call("POST", "/dead-letters/" + this.dlq + "/replay");
		assertThat(replay.status()).isEqualTo(200);
		assertThat(replay.body().path("replayed").asInt()).isEqualTo(5);
		assertThat(replay.body().path("left").asLong()).isZero();
		await().atMost(Duration.ofSeconds(20)).until(() -> this.refusing.handled.size() == 5);
		assertThat(ready(this.dlq)).isZero();
	}

	@Test
	void aMessageNoQueueTakesOnReplayStaysInTheDeadLetterQueueInItsPlace() throws Exception {
		start();
		deadLetter(2);
		this.refusing.refuse = false;
		this.rabbit.channel().queueUnbind(this.key, this.exchange, this.key);
		Answer unroutable = call("POST", "/dead-letters/" + this.dlq + "/replay");
		assertThat(unroutable.status()).isEqualTo(409);
		assertThat(unroutable.error()).contains("No queue took message '")
			.contains("replayed to exchange '" + this.exchange + "' with routing key '" + this.key + "'");
		this.rabbit.channel().exchangeDelete(this.exchange);
		Answer noExchange = call("POST", "/dead-letters/" + this.dlq + "/replay");
		assertThat(noExchange.status()).isEqualTo(409);
		assertThat(noExchange.error()).contains("no exchange '" + this.exchange + "'");
		assertThat(bodies(call("GET", "/dead-letters/" + this.dlq).body())).containsExactly("{\"n\":0}",
				"{\"n\":1}");
		assertThat(this.refusing.handled).isEmpty();
	}

	@Test
	void aReplayIsRefusedWhileAConsumerTakesFromTheDeadLetterQueue() throws Exception {
		start();
		deadLetter(1);
		com.rabbitmq.client.Channel channel = this.rabbit.channel();
		channel.basicQos(1);
		String tag = channel.basicConsume(this.dlq, false, new DefaultConsumer(channel));
		Answer replay = call("POST", "/dead-letters/" + this.dlq + "/replay");
		assertThat(replay.status()).isEqualTo(409);
		assertThat(replay.error()).contains("has 1 consumer(s)");
		channel.basicCancel(tag);
	}

	@Test
	void aPurgeNeedsTheQueuesNameRepeated() throws Exception {
		start();
		deadLetter(3);
		Answer unconfirmed = call("DELETE", "/dead-letters/" + this.dlq);
		assertThat(unconfirmed.status()).isEqualTo(400);
		assertThat(unconfirmed.error()).contains("repeat its name as confirm=" + this.dlq);
		assertThat(call("DELETE", "/dead-letters/" + this.dlq + "?confirm=" + this.key).status()).isEqualTo(400);
		assertThat(ready(this.dlq)).isEqualTo(3);
		Answer purge = call("DELETE", "/dead-letters/" + this.dlq + "?confirm=" + this.dlq);
		assertThat(purge.status()).isEqualTo(200);
		assertThat(purge.body().path("purged").asLong()).isEqualTo(3);
		assertThat(ready(this.dlq)).isZero();
	}

	@Test
	void aQueueThatIsNotOneOfTheApplicationsDeadLetterQueuesIsRefusedNamingThem() throws Exception {
		start();
		this.rabbit.channel().queueDeclare(this.other, false, false, false, null);
		this.rabbit.publish("", this.other, new AMQP.BasicProperties(), "{}".getBytes());
		await().atMost(Duration.ofSeconds(10)).until(() -> ready(this.other) == 1);
		for (Answer refused : List.of(call("GET", "/dead-letters/" + this.other),
				call("POST", "/dead-letters/" + this.other + "/replay"),
				call("DELETE", "/dead-letters/" + this.other + "?confirm=" + this.other),
				call("DELETE", "/dead-letters/" + this.key + "?confirm=" + this.key))) {
			assertThat(refused.status()).isEqualTo(404);
			assertThat(refused.error()).contains("is not a dead-letter queue of this application; its dead-letter "
					+ "queues are: " + this.dlq);
		}
		assertThat(ready(this.other)).isEqualTo(1);
		assertThat(call("GET", "/nothing-here").status()).isEqualTo(404);
		assertThat(call("POST", "/dead-letters/" + this.dlq + "/again").status()).isEqualTo(404);
	}

	private List<String> bodies(JsonNode peek) {
		List<String> bodies = new ArrayList<>();
		peek.path("first").forEach((message) -> bodies.add(message.path("body").asString()));
		return bodies;
	}

	Answer call(String method, String path) throws Exception {
		return call(this.port, method, path);
	}

	Answer call(int port, String method, String path) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/farine" + path))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.timeout(Duration.ofSeconds(60))
			.build(), HttpResponse.BodyHandlers.ofString());
		return new Answer(response.statusCode(),
				response.body().isEmpty() ? this.json.createObjectNode() : this.json.readTree(response.body()));
	}

	record Answer(int status, JsonNode body) {

		String error() {
			return this.body.path("error").asString();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

	}

	/** Refuses every message while {@code refuse} is set (dead-lettered at once), then takes them. */
	@FarineService("refusing")
	static class Refusing {

		volatile boolean refuse = true;

		final Set<Integer> handled = ConcurrentHashMap.newKeySet();

		volatile Runnable onHandled = () -> {
		};

		@Publish(exchange = "${t.exchange}", routingKey = "${t.key}")
		Publisher out;

		@Consume(exchange = "${t.exchange}", routingKey = "${t.key}")
		void on(Map<String, Object> body) {
			if (this.refuse) {
				throw new IllegalStateException("refused " + body.get("n"));
			}
			this.handled.add(((Number) body.get("n")).intValue());
			this.onHandled.run();
		}

	}

	static List<Integer> upTo(int count) {
		return IntStream.range(0, count).boxed().toList();
	}

}
