package io.farine.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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
		ServiceInstance first = ServiceInstance.backend(legacy, "10.1.2.3", 9999);
		ServiceInstance second = ServiceInstance.backend(legacy, "10.1.2.4", 9999);
		own.register(first);
		own.register(second);
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

}
