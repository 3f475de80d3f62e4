package io.farine.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.PutOption;
import io.farine.registry.EtcdServiceRegistry;
import io.farine.service.FarineService;
import io.farine.test.Closer;
import io.farine.test.EtcdProcess;
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
 * The {@code members} operations of the {@code farine} endpoint over HTTP, with a real etcd: the
 * members listed with their status, and force-leave of a registration whose process hangs (its
 * lease still runs), of an unknown instance, and of the process itself.
 */
class MemberEndpointIntegrationTests {

	private static final String HUNG = "0123456789abcdef0123456789abcdef";

	private final Closer closer = new Closer();

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = new JsonMapper();

	private final String service = Rabbit.unique("members");

	@AfterEach
	void close() throws Exception {
		this.closer.close();
	}

	@Test
	void listsTheMembersAndForcesAHungOneOut() throws Exception {
		EtcdProcess etcd = this.closer.add(EtcdProcess.start());
		ConfigurableApplicationContext app = this.closer.add(new SpringApplicationBuilder(App.class, Node.class)
			.web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "server.address=127.0.0.1", "management.endpoints.web.exposure.include=farine",
					"farine.defaults.amqp_uri=" + Rabbit.URI, "farine.defaults.etcd_endpoints=" + etcd.endpoint(),
					"t.service=" + this.service)
			.run());
		int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
		EtcdServiceRegistry registry = app.getBean(EtcdServiceRegistry.class);
		Client client = this.closer.add(Client.builder().endpoints(etcd.endpoint()).build());
		String hung = "{\"service\":\"" + this.service + "\",\"instance_id\":\"" + HUNG + "\",\"host\":\"10.9.9.9\","
				+ "\"port\":1,\"mode\":\"tcp\",\"priority\":1,\"weight\":100,\"tags\":[],"
				+ "\"entry_points\":{\"rpc\":[],\"queues\":[]},\"start_time\":\"2026-12-01T00:00:00Z\"}";
		long lease = client.getLeaseClient().grant(60).get().getID();
		client.getKVClient()
			.put(bytes("/farine/services/" + this.service + "/" + HUNG), bytes(hung),
					PutOption.builder().withLeaseId(lease).build())
			.get();
		await().atMost(Duration.ofSeconds(20)).until(() -> registry.instances(this.service).size() == 2);

		JsonNode members = call(port, "GET", "/members").body().path("members");
		assertThat(members.valueStream().map((member) -> member.path("instance_id").asString()))
			.containsExactlyInAnyOrder(registry.instanceId(), HUNG);

		Answer forced = call(port, "DELETE", "/members/" + HUNG);
		assertThat(forced.status()).isEqualTo(200);
		assertThat(forced.body().path("removed").get(0).path("status").asString()).isEqualTo("left");
		await().atMost(Duration.ofSeconds(20)).until(() -> registry.instances(this.service).size() == 1);

		Answer unknown = call(port, "DELETE", "/members/fedcba9876543210fedcba9876543210");
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.body().path("error").asString()).contains("fedcba9876543210fedcba9876543210");
		Answer self = call(port, "DELETE", "/members/" + registry.instanceId());
		assertThat(self.status()).isEqualTo(400);
		assertThat(registry.instances(this.service)).hasSize(1);
	}

	private Answer call(int port, String method, String path) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/farine" + path))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.timeout(Duration.ofSeconds(60))
			.build(), HttpResponse.BodyHandlers.ofString());
		return new Answer(response.statusCode(),
				response.body().isEmpty() ? this.json.createObjectNode() : this.json.readTree(response.body()));
	}

	private static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

	record Answer(int status, JsonNode body) {
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

	}

	@FarineService("${t.service}")
	static class Node {

		@io.farine.cluster.OnEvent("never")
		void never(java.util.Map<String, Object> payload) {
		}

	}

}
