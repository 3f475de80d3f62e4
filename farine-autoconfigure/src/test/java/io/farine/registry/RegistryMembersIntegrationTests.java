package io.farine.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.farine.test.Closer;
import io.farine.test.EtcdProcess;
import io.farine.test.Rabbit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

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
