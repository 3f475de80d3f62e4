package io.farine.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.watch.WatchResponse;
import io.farine.config.RegistrySettings;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The discovery cache's {@code apply}, fed synthetic watch responses: puts add and replace,
 * deletes remove, foreign and malformed keys are ignored, and listeners hear once per service
 * that changed.
 */
class InstanceWatchTests {

	private static final String PREFIX = "/farine/services";

	private final JsonMapper mapper = new JsonMapper();

	private final List<String> heard = new ArrayList<>();

	private final List<String> events = new ArrayList<>();

	private final List<Runnable> scheduled = new ArrayList<>();

	private final InstanceWatch.Tasks tasks = new InstanceWatch.Tasks() {

		@Override
		public void execute(Runnable task) {
		}

		@Override
		public void schedule(Runnable task, long delayMillis) {
			InstanceWatchTests.this.scheduled.add(task);
		}

	};

	private final InstanceWatch watch = new InstanceWatch(null,
			new RegistrySettings.Etcd(List.of("http://127.0.0.1:2379"), null, null, null, null, null, null,
					Duration.ofSeconds(10), PREFIX),
			this.mapper, this.tasks, () -> false,
			List.of((service, instances) -> this.heard.add(service + "=" + instances.size())),
			new Membership(Duration.ZERO, this.tasks, List.of((event) -> this.events
				.add(event.type() + " " + event.member().instanceId() + " " + event.member().status()))));

	@Test
	void putsAndDeletesChangeTheCacheAndEachChangedServiceIsHeardOnce() {
		this.watch.apply(response(put("orders", "a", List.of("x")), put("orders", "b", List.of()),
				put("users", "c", List.of())));
		assertThat(this.watch.instances("orders")).extracting(ServiceInstance::instanceId).containsExactly("a", "b");
		assertThat(this.heard).containsExactly("orders=2", "users=1");

		this.heard.clear();
		this.watch.apply(response(put("orders", "a", List.of("role=db")), delete("orders", "b")));
		assertThat(this.watch.instances("orders")).singleElement()
			.extracting(ServiceInstance::tags)
			.isEqualTo(List.of("role=db"));
		assertThat(this.heard).containsExactly("orders=1");
	}

	@Test
	void anEntryWrittenBeforeCategoriesExistedIsInCategoryServices() {
		String old = "{\"service\":\"orders\",\"instance_id\":\"o\",\"host\":\"10.0.0.1\",\"port\":80,"
				+ "\"mode\":\"http\",\"priority\":1,\"weight\":100,\"tags\":[],"
				+ "\"entry_points\":{\"rpc\":[],\"queues\":[]},\"start_time\":\"2026-12-01T00:00:00Z\"}";
		this.watch.apply(response(Event.newBuilder()
			.setType(Event.EventType.PUT)
			.setKv(KeyValue.newBuilder().setKey(bytes(PREFIX + "/orders/o")).setValue(bytes(old)))
			.build()));
		assertThat(this.watch.instances("orders")).singleElement()
			.extracting(ServiceInstance::category, ServiceInstance::status)
			.containsExactly("services", "alive");
	}

	@Test
		void eachChangeOfARegistrationIsAMemberEvent() {
		this.watch.apply(response(put("orders", "a", List.of("x")), put("orders", "b", List.of())));
		this.watch.apply(response(put("orders", "a", List.of("x")), put("orders", "b", List.of(), "leaving")));
		assertThat(this.events).containsExactly("JOIN a alive", "JOIN b alive");

		this.watch.apply(response(put("orders", "a", List.of("role=db")), delete("orders", "b")));
		this.watch.apply(response(delete("orders", "a")));
		assertThat(this.events).containsExactly("JOIN a alive", "JOIN b alive", "UPDATE a alive", "LEAVE b left",
				"FAILED a failed");

		this.scheduled.forEach(Runnable::run);
		assertThat(this.events.subList(5, this.events.size())).containsExactlyInAnyOrder("REAP b left",
				"REAP a failed");
	}

	@Test
	void foreignAndMalformedKeysAreIgnored() {
		Event foreign = Event.newBuilder()
			.setType(Event.EventType.PUT)
			.setKv(KeyValue.newBuilder().setKey(bytes("/skydns/org/example/x")).setValue(bytes("{}")))
			.build();
		Event malformed = Event.newBuilder()
			.setType(Event.EventType.PUT)
			.setKv(KeyValue.newBuilder().setKey(bytes(PREFIX + "/orders/z")).setValue(bytes("not json")))
			.build();
		this.watch.apply(response(foreign, malformed, delete("nobody", "q")));
		assertThat(this.watch.services()).isEmpty();
		assertThat(this.heard).isEmpty();
	}

	private Event put(String service, String id, List<String> tags) {
		return put(service, id, tags, null);
	}

	private Event put(String service, String id, List<String> tags, String status) {
		ServiceInstance instance = new ServiceInstance(service, id, "10.0.0.1", 80, "http", null, null, null, 1, 100, tags,
				new ServiceInstance.EntryPoints(List.of(), List.of()), null, "2026-12-01T00:00:00Z", status, null);
		return Event.newBuilder()
			.setType(Event.EventType.PUT)
			.setKv(KeyValue.newBuilder()
				.setKey(bytes(PREFIX + "/" + service + "/" + id))
				.setValue(bytes(this.mapper.writeValueAsString(instance))))
			.build();
	}

	private static Event delete(String service, String id) {
		return Event.newBuilder()
			.setType(Event.EventType.DELETE)
			.setKv(KeyValue.newBuilder().setKey(bytes(PREFIX + "/" + service + "/" + id)))
			.build();
	}

	private static WatchResponse response(Event... events) {
		return new WatchResponse(io.etcd.jetcd.api.WatchResponse.newBuilder().addAllEvents(List.of(events)).build());
	}

	private static ByteString bytes(String text) {
		return ByteString.copyFromUtf8(text);
	}

}
