package io.farine.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.farine.autoconfigure.FarineAutoConfiguration;
import io.farine.autoconfigure.FarineClusterAutoConfiguration;
import io.farine.registry.EtcdServiceRegistry;
import io.farine.service.FarineService;
import io.farine.test.Closer;
import io.farine.test.EtcdProcess;
import io.farine.test.Rabbit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
 * Events and queries between three instances of a service, in three application contexts, with a
 * real etcd saying who lives and RabbitMQ carrying everything.
 */
class ClusterIntegrationTests {

	private final Closer closer = new Closer();

	private final String service = Rabbit.unique("node");

	private EtcdProcess etcd;

	private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

	@BeforeEach
	void startNodes() throws Exception {
		this.etcd = this.closer.add(EtcdProcess.start());
		this.nodes.add(start());
		this.nodes.add(start());
		this.nodes.add(start("farine.services." + this.service + ".tags=role=db"));
		EtcdServiceRegistry registry = this.nodes.get(0).getBean(EtcdServiceRegistry.class);
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(registry.instances(this.service)).as("registry %s: %s", registry.state(),
					registry.services()).hasSize(3));
	}

	@AfterEach
	void stopNodes() throws Exception {
		this.nodes.forEach(ConfigurableApplicationContext::close);
		this.closer.close();
	}

	private ConfigurableApplicationContext start(String... more) {
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.properties("farine.defaults.amqp_uri=" + Rabbit.URI, "t.service=" + this.service,
					"farine.defaults.etcd_endpoints=" + this.etcd.endpoint(), "farine.defaults.registry_ttl=5")
			.properties(more)
			.run();
	}

	private Node node(int i) {
		return this.nodes.get(i).getBean(Node.class);
	}

	private String instanceId(int i) {
		return this.nodes.get(i).getBean(EtcdServiceRegistry.class).instanceId();
	}

	@Test
	void anEventReachesEveryInstanceOnce() {
		FarineEvents events = this.nodes.get(0).getBean(FarineEvents.class);
		events.send("ping", Map.of("n", 1));
		events.send("done", Map.of());
		// each instance reads its own queue in order: once "done" is there, a second "ping" would be too
		await().atMost(Duration.ofSeconds(20))
			.until(() -> java.util.stream.IntStream.range(0, 3).allMatch((i) -> node(i).events.contains("done")));
		for (int i = 0; i < 3; i++) {
			assertThat(node(i).pings).as("pings of instance %d", i).containsExactly(1);
			assertThat(node(i).senders).containsOnly(instanceId(0));
		}
	}

	@Test
	void everyInstanceAcknowledgesAndAnswersAQuery() {
		List<QueryAnswer> answers = this.nodes.get(1)
			.getBean(FarineQueries.class)
			.queryStream("status", Map.of("verbose", true),
					QueryOptions.all().withService(this.service).withAck().withTimeout(Duration.ofSeconds(20)))
			.toList();
		Set<String> ids = Set.of(instanceId(0), instanceId(1), instanceId(2));
		assertThat(answers).filteredOn((answer) -> answer.kind() == QueryAnswer.Kind.ACK)
			.extracting(QueryAnswer::instanceId)
			.containsExactlyInAnyOrderElementsOf(ids);
		List<QueryAnswer> responses = answers.stream()
			.filter((answer) -> answer.kind() == QueryAnswer.Kind.RESPONSE)
			.toList();
		assertThat(responses).extracting(QueryAnswer::instanceId).containsExactlyInAnyOrderElementsOf(ids);
		assertThat(responses).allSatisfy((answer) -> {
			assertThat(answer.payload().path("instance").asString()).isEqualTo(answer.instanceId());
			assertThat(answer.payload().path("verbose").asBoolean()).isTrue();
		});
		QueryAnswer end = answers.get(answers.size() - 1);
		assertThat(end.kind()).isEqualTo(QueryAnswer.Kind.END);
		assertThat(end.silent()).isEmpty();
	}

	@Test
	void aQueryEndsAtItsTimeoutNamingAnInstanceThatDidNotAnswer() throws Exception {
		String silent = "0123456789abcdef0123456789abcdef";
		try (Client client = Client.builder().endpoints(this.etcd.endpoint()).build()) {
			// a registration with no process behind it: live in etcd, never answering
			KeyValue live = client.getKVClient()
				.get(bytes("/farine/services/" + this.service + "/"), GetOption.builder().isPrefix(true).build())
				.get(5, TimeUnit.SECONDS)
				.getKvs()
				.get(0);
			String value = live.getValue().toString(StandardCharsets.UTF_8).replaceAll("\"instance_id\":\"[0-9a-f]+\"",
					"\"instance_id\":\"" + silent + "\"");
			client.getKVClient().put(bytes("/farine/services/" + this.service + "/" + silent), bytes(value)).get(5,
					TimeUnit.SECONDS);
			EtcdServiceRegistry registry = this.nodes.get(0).getBean(EtcdServiceRegistry.class);
			await().atMost(Duration.ofSeconds(20)).until(() -> registry.instances(this.service).size() == 4);
			List<QueryAnswer> answers = this.nodes.get(0)
				.getBean(FarineQueries.class)
				.query("status", Map.of(), QueryOptions.all().withTimeout(Duration.ofSeconds(6)))
				.collectList()
				.block(Duration.ofSeconds(30));
			assertThat(answers).filteredOn((answer) -> answer.kind() == QueryAnswer.Kind.RESPONSE).hasSize(3);
			assertThat(answers.get(answers.size() - 1).silent()).containsExactly(silent);
		}
	}

	@Test
	void aTagFilterAsksOnlyTheInstancesWithTheTag() {
		List<QueryAnswer> answers = this.nodes.get(0)
			.getBean(FarineQueries.class)
			.queryStream("status", Map.of(), QueryOptions.all().withTags("role=db").withTimeout(Duration.ofSeconds(20)))
			.toList();
		assertThat(answers).extracting(QueryAnswer::kind)
			.containsExactly(QueryAnswer.Kind.RESPONSE, QueryAnswer.Kind.END);
		assertThat(answers.get(0).instanceId()).isEqualTo(instanceId(2));
		assertThat(answers.get(1).silent()).isEmpty();
	}

	@Test
	void aTagSetAtRunTimeIsAnsweredFor() {
		this.nodes.get(1).getBean(EtcdServiceRegistry.class).tags(this.service, "role=cache");
		EtcdServiceRegistry asker = this.nodes.get(0).getBean(EtcdServiceRegistry.class);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> asker.instances(this.service)
				.stream()
				.anyMatch((instance) -> instance.tags().contains("role=cache")));
		List<QueryAnswer> answers = this.nodes.get(0)
			.getBean(FarineQueries.class)
			.queryStream("status", Map.of(),
					QueryOptions.all().withTags("role=cache").withTimeout(Duration.ofSeconds(20)))
			.toList();
		assertThat(answers).extracting(QueryAnswer::kind)
			.containsExactly(QueryAnswer.Kind.RESPONSE, QueryAnswer.Kind.END);
		assertThat(answers.get(0).instanceId()).isEqualTo(instanceId(1));
		assertThat(answers.get(1).silent()).as("instances that did not answer").isEmpty();
	}

	@Test
	void aQueryOfAnyNameIsAnsweredByTheCatchAllMethod() {
		List<QueryAnswer> answers = this.nodes.get(0)
			.getBean(FarineQueries.class)
			.queryStream("uptime", Map.of(),
					QueryOptions.all().withService(this.service).withTimeout(Duration.ofSeconds(20)))
			.toList();
		List<QueryAnswer> responses = answers.stream()
			.filter((answer) -> answer.kind() == QueryAnswer.Kind.RESPONSE)
			.toList();
		assertThat(responses).hasSize(3)
			.allSatisfy((answer) -> assertThat(answer.payload().path("asked").asString()).isEqualTo("uptime"));
		assertThat(answers.get(answers.size() - 1).silent()).isEmpty();
	}

	private static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ JacksonAutoConfiguration.class, FarineAutoConfiguration.class,
			FarineClusterAutoConfiguration.class })
	static class App {

		@Bean
		Node node() {
			return new Node();
		}

	}

	@FarineService("${t.service}")
	static class Node {

		final List<Integer> pings = new CopyOnWriteArrayList<>();

		final List<String> senders = new CopyOnWriteArrayList<>();

		final List<String> events = new CopyOnWriteArrayList<>();

		@org.springframework.beans.factory.annotation.Autowired
		EtcdServiceRegistry registry;

		@OnEvent("ping")
		void ping(Map<String, Integer> payload, ClusterEvent event) {
			this.pings.add(payload.get("n"));
			this.senders.add(event.sender());
		}

		@OnEvent("*")
		void any(ClusterEvent event) {
			this.events.add(event.name());
		}

		@OnQuery("*")
		Map<String, Object> anyQuery(Map<String, Object> payload, ClusterEvent query) {
			return Map.of("asked", query.name());
		}

		@OnQuery("status")
		Map<String, Object> status(Map<String, Object> asked) {
			return Map.of("instance", this.registry.instanceId(), "verbose", asked.getOrDefault("verbose", false));
		}

	}

}
