package io.farine.samples.quickstart;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What an operator sees of the quickstart over HTTP: health, farine's endpoint, metrics. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class QuickstartActuatorTests {

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = new JsonMapper();

	@Value("${local.server.port}")
	int port;

	@Autowired
	Greetings greetings;

	@Test
	void healthShowsTheBrokerAndTheRegistry() throws Exception {
		JsonNode health = get("/actuator/health");
		assertThat(health.path("status").asString()).isEqualTo("UP");
		// the quickstart's farine.ini leaves etcd out: the registry is off, which is healthy
		assertThat(health.path("components").path("farineRegistry").path("details").path("state").asString())
			.isEqualTo("OFF");
		JsonNode brokers = health.path("components").path("farineBrokers").path("components");
		assertThat(brokers.path("127.0.0.1-5672").path("status").asString()).isEqualTo("UP");
		assertThat(brokers.path("127.0.0.1-5672").path("details").path("nodes").asString())
			.isEqualTo("amqp://guest:***@127.0.0.1:5672/%2F");
	}

	@Test
	void theFarineEndpointShowsWhatTheProcessServes() throws Exception {
		JsonNode farine = get("/actuator/farine");
		JsonNode greetings = farine.path("services").path("greetings");
		assertThat(greetings.path("running").asBoolean()).isTrue();
		JsonNode consumer = greetings.path("consumers").get(0);
		assertThat(consumer.path("method").asString()).isEqualTo("Greetings.onGreeting");
		assertThat(consumer.path("exchange").asString()).isEqualTo("greetings");
		assertThat(consumer.path("queue").asString()).isEqualTo("hello");
		assertThat(greetings.path("rpcMethods").get(0).path("queue").asString()).isEqualTo("greetings__received");
		assertThat(farine.path("services").path("greeter").path("publishers")).hasSize(1);
		assertThat(farine.path("brokers").get(0).asString()).isEqualTo("amqp://guest:***@127.0.0.1:5672/%2F");
	}

	@Test
	void farineTimersAreMetrics() throws Exception {
		// a timer is there from its first observation's end, a little after the handler returned
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			JsonNode consume = get("/actuator/metrics/farine.consume");
			assertThat(consume.path("measurements").get(0).path("value").asDouble()).isGreaterThanOrEqualTo(2);
			assertThat(consume.path("availableTags").toString()).contains("queue", "outcome");
			assertThat(text("/actuator/prometheus")).contains("farine_publish_seconds_count", "farine_consumers");
		});
	}

	private JsonNode get(String path) throws Exception {
		return this.json.readTree(text(path));
	}

	private String text(String path) throws Exception {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
		return response.body();
	}

}
