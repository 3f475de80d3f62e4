package io.farine.registry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.PutOption;
import io.farine.service.FarineService;
import io.farine.test.Closer;
import io.farine.test.EtcdProcess;
import io.farine.test.Rabbit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Serf's membership over a real etcd: member events told to {@code @OnMemberEvent} methods (join,
 * update, leave, failed, reap), members that left or failed kept with their status for
 * {@code member_reap}, filters by regular expressions, and force-leave. Registrations with no
 * process behind them are written with a plain etcd client, on leases the test controls.
 */
class MembershipIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private final Closer closer = new Closer();

	private final String service = Rabbit.unique("membership");

	private final JsonMapper mapper = new JsonMapper();

	@AfterEach
	void close() throws Exception {
		this.closer.close();
	}

	@Test
	void anotherProcessJoinsChangesItsTagsLeavesAndIsReaped() throws Exception {
		EtcdProcess etcd = this.closer.add(EtcdProcess.start());
		ConfigurableApplicationContext watching = this.closer.add(watcher(etcd, "farine.defaults.member_reap=3"));
		Watcher heard = watching.getBean(Watcher.class);
		EtcdServiceRegistry registry = watching.getBean(EtcdServiceRegistry.class);
		ConfigurableApplicationContext other = RegisteringApplication.start("t.service=" + this.service,
				"farine.defaults.etcd_endpoints=" + etcd.endpoint(), "farine.defaults.registry_ttl=5",
				"farine.services." + this.service + ".tags=role=web");
		EtcdServiceRegistry theirs = other.getBean(EtcdServiceRegistry.class);
		String id = theirs.instanceId();
		await().atMost(WAIT).until(() -> heard.types(id).contains(MemberEvent.Type.JOIN));

		theirs.tags(this.service, "role=db");
		await().atMost(WAIT).until(() -> heard.types(id).contains(MemberEvent.Type.UPDATE));
		assertThat(heard.last(id).member().tags()).containsExactly("role=db");

		other.close();
		await().atMost(WAIT).until(() -> heard.types(id).contains(MemberEvent.Type.LEAVE));
		assertThat(registry.members(MemberFilter.all().withStatus("left")))
			.extracting(ServiceInstance::instanceId)
			.containsExactly(id);
		assertThat(registry.instances(this.service)).extracting(ServiceInstance::instanceId).doesNotContain(id);

		// member_reap = 3 s after it left, it is forgotten
		await().atMost(WAIT).until(() -> heard.types(id).contains(MemberEvent.Type.REAP));
		assertThat(registry.members()).extracting(ServiceInstance::instanceId).doesNotContain(id);
		assertThat(heard.types(id)).containsExactly(MemberEvent.Type.JOIN, MemberEvent.Type.UPDATE,
				MemberEvent.Type.LEAVE, MemberEvent.Type.REAP);
	}

	@Test
	void aRegistrationWhoseLeaseExpiresOrWhoseKeyIsDeletedFailed() throws Exception {
		EtcdProcess etcd = this.closer.add(EtcdProcess.start());
		ConfigurableApplicationContext watching = this.closer.add(watcher(etcd));
		Watcher heard = watching.getBean(Watcher.class);
		EtcdServiceRegistry registry = watching.getBean(EtcdServiceRegistry.class);
		Client client = this.closer.add(Client.builder().endpoints(etcd.endpoint()).build());
		ServiceInstance expiring = somewhere(this.service, "10.9.9.1", 1234);
		ServiceInstance deleted = somewhere(this.service + "-other", "10.9.9.2", 1234);
		long shortLease = client.getLeaseClient().grant(2).get().getID();
		put(client, expiring, shortLease);
		put(client, deleted, client.getLeaseClient().grant(60).get().getID());
		await().atMost(WAIT).until(() -> heard.types(expiring.instanceId()).contains(MemberEvent.Type.JOIN)
				&& heard.types(deleted.instanceId()).contains(MemberEvent.Type.JOIN));

		// nobody keeps the short lease alive: it expires, with no leaving before
		client.getKVClient().delete(key(deleted)).get();
		await().atMost(WAIT).until(() -> heard.types(expiring.instanceId()).contains(MemberEvent.Type.FAILED)
				&& heard.types(deleted.instanceId()).contains(MemberEvent.Type.FAILED));
		assertThat(registry.members(MemberFilter.all().withStatus("failed")))
			.extracting(ServiceInstance::instanceId)
			.containsExactlyInAnyOrder(expiring.instanceId(), deleted.instanceId());
		// the method of one service heard only of that service's members
		assertThat(heard.ofOwnService).extracting((event) -> event.member().service()).containsOnly(this.service);

		// force-leave of a failed member: every process keeps it as left from then on
		assertThat(registry.forceLeave(expiring.instanceId())).singleElement()
			.extracting(ServiceInstance::status)
			.isEqualTo(ServiceInstance.LEFT);
		assertThat(registry.members(MemberFilter.all().withStatus("failed")))
			.extracting(ServiceInstance::instanceId)
			.containsExactly(deleted.instanceId());
		await().atMost(WAIT).until(() -> heard.types(expiring.instanceId()).contains(MemberEvent.Type.LEAVE));
	}

	@Test
	void forceLeaveRemovesALiveRegistrationAsALeave() throws Exception {
		EtcdProcess etcd = this.closer.add(EtcdProcess.start());
		ConfigurableApplicationContext watching = this.closer.add(watcher(etcd));
		ConfigurableApplicationContext other = this.closer.add(watcher(etcd));
		Watcher heard = watching.getBean(Watcher.class);
		Watcher otherHeard = other.getBean(Watcher.class);
		EtcdServiceRegistry registry = watching.getBean(EtcdServiceRegistry.class);
		Client client = this.closer.add(Client.builder().endpoints(etcd.endpoint()).build());
		// a process that hangs or was killed: its lease still runs for a minute
		ServiceInstance hung = somewhere(this.service, "10.9.9.3", 1234);
		ServiceInstance itsBackend = somewhere(this.service + "-legacy", "10.9.9.4", 1234);
		long lease = client.getLeaseClient().grant(60).get().getID();
		put(client, hung, lease);
		put(client, itsBackend, lease);
		await().atMost(WAIT).until(() -> otherHeard.types(hung.instanceId()).contains(MemberEvent.Type.JOIN));

		assertThat(registry.forceLeave(hung.instanceId())).extracting(ServiceInstance::instanceId)
			.containsExactlyInAnyOrder(hung.instanceId(), itsBackend.instanceId());
		// every process sees it leave, not fail, and so does the one that forced it
		for (Watcher watcher : List.of(heard, otherHeard)) {
			await().atMost(WAIT).until(() -> watcher.types(hung.instanceId()).contains(MemberEvent.Type.LEAVE));
			assertThat(watcher.types(hung.instanceId())).doesNotContain(MemberEvent.Type.FAILED);
		}
		assertThat(client.getKVClient().get(key(hung)).get().getKvs()).isEmpty();
		assertThat(registry.forceLeave("no-such-instance")).isEmpty();
		assertThatThrownBy(() -> registry.forceLeave(registry.instanceId()))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("is this process");
	}

	@Test
	void aProcessForcedOutWhileItRunsRegistersAgain() throws Exception {
		EtcdProcess etcd = this.closer.add(EtcdProcess.start());
		ConfigurableApplicationContext watching = this.closer.add(watcher(etcd));
		ConfigurableApplicationContext running = this.closer.add(watcher(etcd));
		Watcher heard = watching.getBean(Watcher.class);
		EtcdServiceRegistry registry = watching.getBean(EtcdServiceRegistry.class);
		EtcdServiceRegistry theirs = running.getBean(EtcdServiceRegistry.class);
		String id = theirs.instanceId();
		await().atMost(WAIT).until(() -> heard.types(id).contains(MemberEvent.Type.JOIN));

		assertThat(registry.forceLeave(id)).extracting(ServiceInstance::instanceId).containsExactly(id);
		await().atMost(WAIT)
			.until(() -> heard.types(id)
				.equals(List.of(MemberEvent.Type.JOIN, MemberEvent.Type.LEAVE, MemberEvent.Type.JOIN)));
		assertThat(theirs.leasesGranted()).isEqualTo(2);
		assertThat(registry.members(MemberFilter.all().withStatus("alive"))).extracting(ServiceInstance::instanceId)
			.contains(id);
	}

	@Test
	void membersAreFilteredByServiceStatusAndTagsAsRegularExpressions() throws Exception {
		EtcdProcess etcd = this.closer.add(EtcdProcess.start());
		ConfigurableApplicationContext watching = this.closer.add(watcher(etcd,
				"farine.services." + this.service + ".tags=role=web,zone=a"));
		ConfigurableApplicationContext primary = this.closer.add(watcher(etcd,
				"farine.services." + this.service + ".tags=role=db-primary,zone=b"));
		ConfigurableApplicationContext replica = this.closer.add(watcher(etcd,
				"farine.services." + this.service + ".tags=role=db-replica,zone=a"));
		EtcdServiceRegistry registry = watching.getBean(EtcdServiceRegistry.class);
		String primaryId = primary.getBean(EtcdServiceRegistry.class).instanceId();
		String replicaId = replica.getBean(EtcdServiceRegistry.class).instanceId();
		await().atMost(WAIT).until(() -> registry.members(MemberFilter.all().withService(this.service)).size() == 3);

		assertThat(registry.members(MemberFilter.all().withTag("role", "db-.*")))
			.extracting(ServiceInstance::instanceId)
			.containsExactlyInAnyOrder(primaryId, replicaId);
		assertThat(registry.members(MemberFilter.all().withTag("role", "db-.*").withTag("zone", "a")))
			.extracting(ServiceInstance::instanceId)
			.containsExactly(replicaId);
		// a whole value must match, as Serf's filters
		assertThat(registry.members(MemberFilter.all().withTag("role", "db"))).isEmpty();
		assertThat(registry.members(MemberFilter.all().withService("membership")).isEmpty()).isTrue();
		assertThat(registry.members(MemberFilter.all().withService(this.service).withStatus("alive|leaving")))
			.hasSize(3);
		assertThat(registry.members(MemberFilter.all().withStatus("failed"))).isEmpty();
	}

	private ConfigurableApplicationContext watcher(EtcdProcess etcd, String... more) {
		List<String> properties = new ArrayList<>(List.of("farine.defaults.amqp_uri=amqp://guest:guest@127.0.0.1:5672",
				"t.service=" + this.service, "farine.defaults.etcd_endpoints=" + etcd.endpoint(),
				"farine.defaults.registry_ttl=5"));
		properties.addAll(List.of(more));
		return new SpringApplicationBuilder(RegisteringApplication.class, RegisteringApplication.Pinger.class,
				Watcher.class)
			.web(WebApplicationType.NONE)
			.properties(properties.toArray(String[]::new))
			.run();
	}

	private void put(Client client, ServiceInstance instance, long lease) throws Exception {
		client.getKVClient()
			.put(key(instance), ByteSequence.from(this.mapper.writeValueAsString(instance), StandardCharsets.UTF_8),
					PutOption.builder().withLeaseId(lease).build())
			.get();
	}

	private static ByteSequence key(ServiceInstance instance) {
		return ByteSequence.from("/farine/services/" + instance.service() + "/" + instance.instanceId(),
				StandardCharsets.UTF_8);
	}

	/** Hears every member event, and those of its own service apart. */
	@FarineService("${t.service}")
	static class Watcher {

		final List<MemberEvent> heard = new CopyOnWriteArrayList<>();

		final List<MemberEvent> ofOwnService = new CopyOnWriteArrayList<>();

		@OnMemberEvent
		void any(MemberEvent event) {
			this.heard.add(event);
		}

		@OnMemberEvent(service = "${t.service}")
		void own(MemberEvent event) {
			this.ofOwnService.add(event);
		}

		List<MemberEvent.Type> types(String instanceId) {
			return this.heard.stream()
				.filter((event) -> event.member().instanceId().equals(instanceId))
				.map(MemberEvent::type)
				.toList();
		}

		MemberEvent last(String instanceId) {
			return this.heard.stream()
				.filter((event) -> event.member().instanceId().equals(instanceId))
				.reduce((first, second) -> second)
				.orElseThrow();
		}

	}


	/** A registration of another process, as it would write it, under a fresh instance id. */
	private static ServiceInstance somewhere(String service, String host, int port) {
		return new ServiceInstance(service, ServiceInstance.newInstanceId(), host, port, "tcp", null, null, null, 1, 100,
				List.of(), new ServiceInstance.EntryPoints(List.of(), List.of()), null, java.time.Instant.now().toString(),
				ServiceInstance.ALIVE, null);
	}

}
