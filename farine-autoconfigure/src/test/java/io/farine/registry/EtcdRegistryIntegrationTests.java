package io.farine.registry;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.farine.test.Closer;
import io.farine.test.EtcdProcess;
import io.farine.test.Rabbit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The registry against real etcd processes the tests start, kill and restart. Every test uses
 * its own service name and its own etcd.
 */
class EtcdRegistryIntegrationTests {

	private final String service = Rabbit.unique("reg");

	private final Closer closer = new Closer();

	@AfterEach
	void cleanUp() throws Exception {
		this.closer.close();
		try (Rabbit rabbit = new Rabbit()) {
			rabbit.deleteQuietly(this.service + "__ping");
			rabbit.deleteExchangeQuietly(this.service);
		}
	}

	private <T extends AutoCloseable> T closing(T closeable) {
		return this.closer.add(closeable);
	}

	private ConfigurableApplicationContext app(String etcdEndpoints, String... more) {
		List<String> properties = new ArrayList<>(List.of("t.service=" + this.service,
				"farine.defaults.etcd_endpoints=" + etcdEndpoints, "farine.defaults.registry_ttl=2"));
		properties.addAll(List.of(more));
		return closing(RegisteringApplication.start(properties.toArray(String[]::new)));
	}

	private Client client(String... endpoints) {
		return closing(Client.builder().endpoints(endpoints).build());
	}

	private static List<KeyValue> get(Client client, String prefix) throws Exception {
		return client.getKVClient()
			.get(ByteSequence.from(prefix, StandardCharsets.UTF_8), GetOption.builder().isPrefix(true).build())
			.get(5, TimeUnit.SECONDS)
			.getKvs();
	}

	@Test
	void aServiceIsRegisteredWhileItRunsAndGoneAtOnceAfterAGracefulStop() throws Exception {
		EtcdProcess etcd = closing(EtcdProcess.start());
		Client raw = client(etcd.endpoint());
		ConfigurableApplicationContext app = app(etcd.endpoint(), "farine.services." + this.service + ".tags=a,b",
				"farine.services." + this.service + ".weight=7");
		EtcdServiceRegistry registry = app.getBean(EtcdServiceRegistry.class);
		String prefix = "/farine/services/" + this.service + "/";
		await().atMost(Duration.ofSeconds(10)).until(() -> get(raw, prefix).size() == 1);
		KeyValue entry = get(raw, prefix).get(0);
		assertThat(entry.getKey().toString(StandardCharsets.UTF_8)).isEqualTo(prefix + registry.instanceId());
		JsonNode json = new JsonMapper().readTree(entry.getValue().getBytes());
		assertThat(json.get("service").asString()).isEqualTo(this.service);
		assertThat(json.get("instance_id").asString()).isEqualTo(registry.instanceId());
		assertThat(json.get("host").asString()).isNotBlank();
		assertThat(json.get("mode").asString()).isEqualTo("http");
		assertThat(json.get("priority").asInt()).isEqualTo(1);
		assertThat(json.get("weight").asInt()).isEqualTo(7);
		assertThat(json.get("tags").toString()).isEqualTo("[\"a\",\"b\"]");
		assertThat(json.get("entry_points").toString()).isEqualTo("{\"rpc\":[\"ping\"],\"queues\":[]}");
		assertThat(json.get("start_time").asString()).isNotBlank();
		assertThat(entry.getLease()).isNotZero();
		assertThat(registry.state()).isEqualTo(RegistryState.REGISTERED);
		assertThat(new RegistryHealthIndicator(registry).health().getStatus()).isEqualTo(Status.UP);
		app.close();
		assertThat(get(raw, prefix)).isEmpty();
	}

	@Test
	void twoInstancesSeeEachOtherThroughTheWatchCacheAndListenersAreTold() throws Exception {
		EtcdProcess etcd = closing(EtcdProcess.start());
		ConfigurableApplicationContext first = app(etcd.endpoint());
		ServiceRegistry registry = first.getBean(ServiceRegistry.class);
		List<Integer> sizes = new CopyOnWriteArrayList<>();
		registry.addListener((service, instances) -> {
			if (service.equals(this.service)) {
				sizes.add(instances.size());
			}
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> registry.instances(this.service).size() == 1);
		ConfigurableApplicationContext second = app(etcd.endpoint());
		await().atMost(Duration.ofSeconds(10)).until(() -> registry.instances(this.service).size() == 2);
		assertThat(registry.services()).containsKey(this.service);
		second.close();
		await().atMost(Duration.ofSeconds(10)).until(() -> registry.instances(this.service).size() == 1);
		// listeners are told right after the cache changes, on the registry's thread
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(sizes).containsSubsequence(2, 1));
	}

	@Test
	void aKilledProcessDisappearsWhenItsLeaseRunsOut() throws Exception {
		EtcdProcess etcd = closing(EtcdProcess.start());
		Client raw = client(etcd.endpoint());
		String java = ProcessHandle.current().info().command().orElse("java");
		Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				RegisteringApplication.class.getName(), "--t.service=" + this.service,
				"--farine.defaults.etcd_endpoints=" + etcd.endpoint(), "--farine.defaults.registry_ttl=2")
			.redirectErrorStream(true)
			.redirectOutput(Files.createTempFile("farine-child", ".log").toFile())
			.start();
		closing(child::destroyForcibly);
		String prefix = "/farine/services/" + this.service + "/";
		await().atMost(Duration.ofSeconds(30)).until(() -> get(raw, prefix).size() == 1);
		long killed = System.nanoTime();
		child.destroyForcibly();
		await().atMost(Duration.ofSeconds(6)).until(() -> get(raw, prefix).isEmpty());
		assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofMillis(2_000 + 2_500));
	}

	@Test
	void afterEtcdWasDownLongerThanTheTtlTheServiceRegistersAgainWithinSeconds() throws Exception {
		EtcdProcess etcd = closing(EtcdProcess.start());
		ConfigurableApplicationContext app = app(etcd.endpoint());
		EtcdServiceRegistry registry = app.getBean(EtcdServiceRegistry.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> registry.state() == RegistryState.REGISTERED);
		etcd.kill();
		await().atMost(Duration.ofSeconds(10)).until(() -> registry.state() == RegistryState.REGISTERING);
		assertThat(new RegistryHealthIndicator(registry).health().getStatus()).isEqualTo(Status.DOWN);
		// etcd stays away longer than the 2 s TTL, and the registry keeps trying all along
		await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
			.until(() -> registry.state() == RegistryState.REGISTERING);
		etcd.restart();
		long back = System.nanoTime();
		Client raw = client(etcd.endpoint());
		await().atMost(Duration.ofSeconds(10))
			.until(() -> get(raw, "/farine/services/" + this.service + "/").size() == 1
					&& registry.state() == RegistryState.REGISTERED);
		assertThat(Duration.ofNanos(System.nanoTime() - back)).isLessThan(Duration.ofSeconds(5));
		assertThat(registry.leasesGranted()).isGreaterThanOrEqualTo(2);
	}

	@Test
	void aShortOutageOfASingleEtcdKeepsTheLease() throws Exception {
		EtcdProcess etcd = closing(EtcdProcess.start());
		ConfigurableApplicationContext app = closing(RegisteringApplication.start("t.service=" + this.service,
				"farine.defaults.etcd_endpoints=" + etcd.endpoint(), "farine.defaults.registry_ttl=20"));
		EtcdServiceRegistry registry = app.getBean(EtcdServiceRegistry.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> registry.state() == RegistryState.REGISTERED);
		etcd.kill();
		etcd.restart();
		Client raw = client(etcd.endpoint());
		await().atMost(Duration.ofSeconds(15))
			.until(() -> get(raw, "/farine/services/" + this.service + "/").size() == 1);
		// well within the 20 s TTL the lease is checked again and kept: no second one is granted
		await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8)).until(() -> registry.leasesGranted() == 1);
		assertThat(registry.state()).isEqualTo(RegistryState.REGISTERED);
	}

	@Test
	void anApplicationStartsWithEtcdDownAndRegistersWhenItComesUp() throws Exception {
		EtcdProcess etcd = closing(EtcdProcess.create("late", List.of()));
		ConfigurableApplicationContext app = app(etcd.endpoint());
		EtcdServiceRegistry registry = app.getBean(EtcdServiceRegistry.class);
		assertThat(app.isActive()).isTrue();
		assertThat(registry.state()).isEqualTo(RegistryState.REGISTERING);
		etcd.restart();
		await().atMost(Duration.ofSeconds(15)).until(() -> registry.state() == RegistryState.REGISTERED);
		await().atMost(Duration.ofSeconds(10)).until(() -> registry.instances(this.service).size() == 1);
	}

	@Test
	void aClusterLosingOneMemberKeepsTheRegistrationWithoutRegisteringAgain() throws Exception {
		List<EtcdProcess> members = EtcdProcess.cluster(3);
		members.forEach(this::closing);
		String endpoints = String.join(",", members.stream().map(EtcdProcess::endpoint).toList());
		ConfigurableApplicationContext app = app(endpoints);
		EtcdServiceRegistry registry = app.getBean(EtcdServiceRegistry.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> registry.state() == RegistryState.REGISTERED);
		members.get(0).kill();
		Client raw = client(members.get(1).endpoint(), members.get(2).endpoint());
		// three TTLs later the lease is still the first one and the entry is still there
		await().pollDelay(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10))
			.until(() -> get(raw, "/farine/services/" + this.service + "/").size() == 1);
		assertThat(registry.leasesGranted()).isEqualTo(1);
		assertThat(registry.state()).isEqualTo(RegistryState.REGISTERED);
	}

	@Test
	void skydnsRecordsAreWrittenOnTheSameLease() throws Exception {
		EtcdProcess etcd = closing(EtcdProcess.start());
		Client raw = client(etcd.endpoint());
		ConfigurableApplicationContext app = app(etcd.endpoint(), "farine.defaults.skydns_domain=farine.local",
				"farine.defaults.host=10.1.2.3", "farine.defaults.port=8080");
		String instance = app.getBean(EtcdServiceRegistry.class).instanceId();
		String key = "/skydns/local/farine/services/" + this.service + "/" + instance;
		await().atMost(Duration.ofSeconds(10)).until(() -> get(raw, key).size() == 1);
		assertThat(get(raw, key).get(0).getValue().toString(StandardCharsets.UTF_8))
			.isEqualTo("{\"host\":\"10.1.2.3\",\"port\":8080,\"priority\":1,\"weight\":100}");
		app.close();
		assertThat(get(raw, key)).isEmpty();
	}

	@Test
	void anRpcCallToAServiceWithNoLiveInstanceFailsAtOnce() throws Exception {
		EtcdProcess etcd = closing(EtcdProcess.start());
		ConfigurableApplicationContext app = app(etcd.endpoint());
		EtcdServiceRegistry registry = app.getBean(EtcdServiceRegistry.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> registry.instances(this.service).size() == 1);
		io.farine.rpc.RpcClientFactory clients = app.getBean(io.farine.rpc.RpcClientFactory.class);
		assertThat(clients.operations(this.service).call("ping", String.class)).isEqualTo("pong");
		String nobody = Rabbit.unique("nobody");
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> clients.operations(nobody).call("ping"))
			.isInstanceOf(io.farine.rpc.RpcUnroutableException.class)
			.hasMessageContaining("No live instance of service '" + nobody + "' in the service registry");
	}

}
