package io.farine.registry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;

import io.farine.test.Closer;
import io.farine.test.EtcdProcess;
import io.farine.test.Rabbit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The registry's members against a real etcd: tags changed at run time and backends registered
 * for other processes, as another process sees them.
 */
class RegistryMembersIntegrationTests {

	private final Closer closer = new Closer();

	private final String service = Rabbit.unique("members");

	@AfterEach
	void close() throws Exception {
		this.closer.close();
	}

	private ConfigurableApplicationContext app(EtcdProcess etcd, String... more) {
		List<String> properties = new ArrayList<>(List.of("t.service=" + this.service,
				"farine.defaults.etcd_endpoints=" + etcd.endpoint(), "farine.defaults.registry_ttl=5",
				"farine.services." + this.service + ".tags=role=web"));
		properties.addAll(List.of(more));
		return RegisteringApplication.start(properties.toArray(String[]::new));
	}

	@Test
	void aTagChangeIsSeenByAnotherProcess() throws Exception {
		EtcdProcess etcd = this.closer.add(EtcdProcess.start());
		ConfigurableApplicationContext changing = this.closer.add(app(etcd));
		ConfigurableApplicationContext watching = this.closer.add(app(etcd));
		EtcdServiceRegistry own = changing.getBean(EtcdServiceRegistry.class);
		EtcdServiceRegistry other = watching.getBean(EtcdServiceRegistry.class);
		await().atMost(Duration.ofSeconds(20)).until(() -> other.members().size() == 2);
		assertThat(other.members()).allSatisfy((member) -> assertThat(member.tags()).containsExactly("role=web"));

		own.tags(this.service, "role=db", "zone=a");
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(other.instances(this.service))
				.filteredOn((member) -> member.instanceId().equals(own.instanceId()))
				.singleElement()
				.extracting(ServiceInstance::tags)
				.isEqualTo(List.of("role=db", "zone=a")));
		assertThatThrownBy(() -> own.tags("not-here", "x")).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("does not run service 'not-here'");
	}

	@Test
	void anInstanceThatBeginsToCloseIsLeavingUntilItsLeaseGoes() throws Exception {
		EtcdProcess etcd = this.closer.add(EtcdProcess.start());
		ConfigurableApplicationContext closing = new SpringApplicationBuilder(RegisteringApplication.class,
				RegisteringApplication.Pinger.class, SlowToStop.class)
			.web(WebApplicationType.NONE)
			.properties("farine.defaults.amqp_uri=amqp://guest:guest@127.0.0.1:5672", "t.service=" + this.service,
					"farine.defaults.etcd_endpoints=" + etcd.endpoint(), "farine.defaults.registry_ttl=5")
			.run();
		ConfigurableApplicationContext watching = this.closer.add(app(etcd));
		EtcdServiceRegistry other = watching.getBean(EtcdServiceRegistry.class);
		String id = closing.getBean(EtcdServiceRegistry.class).instanceId();
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(status(other, id)).isEqualTo("alive"));
		SlowToStop slow = closing.getBean(SlowToStop.class);
		Thread closer = new Thread(closing::close, "closing");
		closer.start();
		// the application stops in order; its first lifecycle holds it while the test looks
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(status(other, id)).isEqualTo("leaving"));
		slow.release.countDown();
		closer.join(TimeUnit.SECONDS.toMillis(30));
		await().atMost(Duration.ofSeconds(20)).until(() -> status(other, id) == null);
	}

	private @Nullable String status(EtcdServiceRegistry registry, String instanceId) {
		return registry.instances(this.service)
			.stream()
			.filter((member) -> member.instanceId().equals(instanceId))
			.map(ServiceInstance::status)
			.findFirst()
			.orElse(null);
	}

	/** The first lifecycle to stop: holds the shutdown until released. */
	static class SlowToStop implements SmartLifecycle {

		final CountDownLatch release = new CountDownLatch(1);

		private volatile boolean running;

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			try {
				this.release.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return Integer.MAX_VALUE;
		}

	}

	@Test
	void aRegisteredBackendLivesWithItsRegisteringProcess() throws Exception {
		EtcdProcess etcd = this.closer.add(EtcdProcess.start());
		ConfigurableApplicationContext registering = app(etcd);
		ConfigurableApplicationContext watching = this.closer.add(app(etcd));
		EtcdServiceRegistry own = registering.getBean(EtcdServiceRegistry.class);
		EtcdServiceRegistry other = watching.getBean(EtcdServiceRegistry.class);
		await().atMost(Duration.ofSeconds(20)).until(() -> own.state() == RegistryState.REGISTERED);
		String legacy = this.service + "-legacy";
		ServiceInstance first = own.backend(legacy).host("10.1.2.3").port(9999).register();
		ServiceInstance second = own.backend(legacy).host("10.1.2.4").port(9999).register();
		await().atMost(Duration.ofSeconds(20)).until(() -> other.instances(legacy).size() == 2);
		assertThat(other.instances(legacy)).extracting(ServiceInstance::host).containsExactlyInAnyOrder("10.1.2.3",
				"10.1.2.4");

		own.deregister(second);
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(other.instances(legacy)).extracting(ServiceInstance::instanceId)
				.containsExactly(first.instanceId()));

		// graceful stop revokes the lease: the backend goes with the process
		registering.close();
		await().atMost(Duration.ofSeconds(20)).until(() -> other.instances(legacy).isEmpty());
	}

	@Test
	void aBackendStartsFromItsServicesSettings() throws Exception {
		EtcdProcess etcd = this.closer.add(EtcdProcess.start());
		String legacy = this.service + "-legacy";
		String section = "farine.services." + legacy + ".";
		ConfigurableApplicationContext registering = this.closer.add(app(etcd, section + "mode=tcp",
				section + "subdomain=eu", section + "priority=5", section + "weight=20", section + "tags=old, slow",
				section + "uri=http://legacy.example/api", section + "skydns_domain=farine.example",
				section + "category=services,production"));
		EtcdServiceRegistry own = registering.getBean(EtcdServiceRegistry.class);
		await().atMost(Duration.ofSeconds(20)).until(() -> own.state() == RegistryState.REGISTERED);

		ServiceInstance inherited = own.backend(legacy).host("10.1.2.3").port(9999).register();
		ServiceInstance overridden = own.backend(legacy)
			.host("10.1.2.4")
			.port(9998)
			.subdomain("us")
			.uri(null)
			.mode("http")
			.category("services")
			.register();
		await().atMost(Duration.ofSeconds(20)).until(() -> own.instances(legacy).size() == 2);
		ServiceInstance read = own.instances(legacy)
			.stream()
			.filter((instance) -> instance.instanceId().equals(inherited.instanceId()))
			.findFirst()
			.orElseThrow();
		assertThat(read).extracting(ServiceInstance::mode, ServiceInstance::subdomain, ServiceInstance::uri,
				ServiceInstance::priority, ServiceInstance::weight, ServiceInstance::tags, ServiceInstance::category)
			.containsExactly("tcp", "eu", "http://legacy.example/api", 5, 20, List.of("old", "slow"),
					"services,production");
		assertThat(own.instances(legacy))
			.filteredOn((instance) -> instance.instanceId().equals(overridden.instanceId()))
			.singleElement()
			.extracting(ServiceInstance::mode, ServiceInstance::subdomain, ServiceInstance::uri,
					ServiceInstance::priority, ServiceInstance::category)
			.containsExactly("http", "us", null, 5, "services");
		// each SkyDNS record under its own category:
		// <legacy>.services.production.farine.example and <legacy>.services.farine.example
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(keys(etcd, "/skydns/example/farine/")).containsExactlyInAnyOrder(
					"/skydns/example/farine/production/services/" + legacy + "/" + inherited.instanceId(),
					"/skydns/example/farine/services/" + legacy + "/" + overridden.instanceId()));

		assertThatThrownBy(() -> own.backend(legacy).port(1).register()).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("has no host");
		assertThatThrownBy(() -> own.backend(legacy).category("a/b")).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("category = 'a/b' is not valid");
	}

	private static List<String> keys(EtcdProcess etcd, String prefix) throws Exception {
		try (Client client = Client.builder().endpoints(etcd.endpoint()).build()) {
			return client.getKVClient()
				.get(ByteSequence.from(prefix, StandardCharsets.UTF_8), GetOption.builder().isPrefix(true).build())
				.get(5, TimeUnit.SECONDS)
				.getKvs()
				.stream()
				.map((kv) -> kv.getKey().toString(StandardCharsets.UTF_8))
				.toList();
		}
	}

}
