package io.farine.registry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;

import io.farine.test.Closer;
import io.farine.test.EtcdProcess;
import io.farine.test.Rabbit;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * skyapi's {@code /provide} against a real etcd: a websocket client is registered while its
 * socket is open, removed at once when it closes; the server pings it every half
 * {@code provide_ttl}, keeps it while it answers and removes it after the TTL when it does not;
 * its category files its SkyDNS record; it is refused with a reason when it names no service or
 * port. By default it listens on loopback only.
 */
class ProvideIntegrationTests {

	private final Closer closer = new Closer();

	private final String service = Rabbit.unique("provided");

	private ConfigurableApplicationContext app;

	private EtcdServiceRegistry registry;

	private int port;

	private EtcdProcess etcd;

	@BeforeEach
	void start() throws Exception {
		EtcdProcess etcd = this.closer.add(EtcdProcess.start());
		this.app = this.closer.add(RegisteringApplication.start("t.service=" + this.service
				+ "-farine", "farine.defaults.etcd_endpoints=" + etcd.endpoint(), "farine.defaults.registry_ttl=2",
				"farine.defaults.provide_port=0", "farine.defaults.provide_ttl=2",
				"farine.services." + this.service + ".skydns_domain=farine.example"));
		this.etcd = etcd;
		this.registry = this.app.getBean(EtcdServiceRegistry.class);
		this.port = this.app.getBean(ProvideEndpoint.class).port();
		await().atMost(Duration.ofSeconds(20)).until(() -> this.registry.state() == RegistryState.REGISTERED);
	}

	@AfterEach
	void stop() throws Exception {
		this.closer.close();
	}

	private String url(String query) {
		return "ws://127.0.0.1:" + this.port + "/provide?" + query;
	}

	@Test
	void aClientIsRegisteredWhileItsSocketIsOpen() throws Exception {
		Disposable socket = HttpClient.create()
			.websocket()
			.uri(url("service=" + this.service + "&host=10.9.8.7&port=9999&weight=5"))
			.handle((in, out) -> out.sendObject(Flux.interval(Duration.ofMillis(300)).map((i) -> new PingWebSocketFrame())))
			.subscribe();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> this.registry.instances(this.service).size() == 1);
			ServiceInstance provided = this.registry.instances(this.service).get(0);
			assertThat(provided.host()).isEqualTo("10.9.8.7");
			assertThat(provided.port()).isEqualTo(9999);
			assertThat(provided.weight()).isEqualTo(5);
			assertThat(provided.priority()).isEqualTo(1);
			// its service sets skydns_domain: a SkyDNS record too
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(skydns()).singleElement()
				.isEqualTo("{\"host\":\"10.9.8.7\",\"port\":9999,\"priority\":1,\"weight\":5}"));
		}
		finally {
			socket.dispose();
		}
		// not the lease's TTL: this process's lease lives on; the entry goes because the socket closed
		await().atMost(Duration.ofSeconds(20)).until(() -> this.registry.instances(this.service).isEmpty());
		assertThat(this.registry.instances(this.service + "-farine")).hasSize(1);
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(skydns()).isEmpty());
	}

	/** The SkyDNS records of the provided service, as JSON texts. */
	private List<String> skydns() throws Exception {
		try (Client client = Client.builder().endpoints(this.etcd.endpoint()).build()) {
			return client.getKVClient()
				.get(ByteSequence.from("/skydns/example/farine/services/" + this.service + "/", StandardCharsets.UTF_8),
						GetOption.builder().isPrefix(true).build())
				.get(5, TimeUnit.SECONDS)
				.getKvs()
				.stream()
				.map((kv) -> kv.getValue().toString(StandardCharsets.UTF_8))
				.toList();
		}
	}

	@Test
	void aClientThatAnswersThePingsStaysPastTheTtlWithoutPingingItself() throws Exception {
		AtomicInteger pings = new AtomicInteger();
		Disposable socket = HttpClient.create()
			.websocket(WebsocketClientSpec.builder().handlePing(true).build())
			.uri(url("service=" + this.service + "&port=9999"))
			.handle((in, out) -> out.sendObject(in.receiveFrames()
				.ofType(PingWebSocketFrame.class)
				.doOnNext((ping) -> pings.incrementAndGet())
				.map((ping) -> new PongWebSocketFrame(ping.content().retain()))))
			.subscribe();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> this.registry.instances(this.service).size() == 1);
			String key = providedKey();
			// the server pings every half provide_ttl (2 s): three pings span more than the TTL
			await().atMost(Duration.ofSeconds(20)).until(() -> pings.get() >= 3);
			assertThat(keys("/farine/services/" + this.service + "/")).containsExactly(key);
		}
		finally {
			socket.dispose();
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> keys("/farine/services/" + this.service + "/").isEmpty());
	}

	@Test
	void aClientThatStopsAnsweringIsRemovedAfterTheTtl() throws Exception {
		AtomicInteger pings = new AtomicInteger();
		Disposable socket = HttpClient.create()
			// handlePing(true): the client's pings reach this handler, which never answers them
			.websocket(WebsocketClientSpec.builder().handlePing(true).build())
			.uri(url("service=" + this.service + "&port=9999"))
			.handle((in, out) -> in.receiveFrames()
				.ofType(PingWebSocketFrame.class)
				.doOnNext((ping) -> pings.incrementAndGet()))
			.subscribe();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> this.registry.instances(this.service).size() == 1);
			assertThat(this.registry.instances(this.service).get(0).host()).isEqualTo("127.0.0.1");
			assertThat(keys("/farine/services/" + this.service + "/")).hasSize(1);
			await().atMost(Duration.ofSeconds(20))
				.until(() -> keys("/farine/services/" + this.service + "/").isEmpty());
			assertThat(pings.get()).isPositive();
			// this process stays registered: only the silent client went
			assertThat(keys("/farine/services/" + this.service + "-farine/")).hasSize(1);
		}
		finally {
			socket.dispose();
		}
	}

	@Test
	void aCategoryFilesTheSkydnsRecordUnderItsSubDomain() throws Exception {
		Disposable socket = HttpClient.create()
			.websocket()
			.uri(url("service=" + this.service + "&host=10.9.8.7&port=9999&category=services,production"))
			.handle((in, out) -> Mono.never())
			.subscribe();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> this.registry.instances(this.service).size() == 1);
			ServiceInstance provided = this.registry.instances(this.service).get(0);
			assertThat(provided.category()).isEqualTo("services,production");
			// <service>.services.production.farine.example
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(keys("/skydns/example/farine/")).containsExactly(
						"/skydns/example/farine/production/services/" + this.service + "/" + provided.instanceId()));
		}
		finally {
			socket.dispose();
		}
		WebSocketCloseStatus bad = HttpClient.create()
			.websocket()
			.uri(url("service=" + this.service + "&port=9999&category=services/../x"))
			.handle((in, out) -> in.receiveCloseStatus())
			.blockFirst(Duration.ofSeconds(20));
		assertThat(bad.code()).isEqualTo(1008);
		assertThat(bad.reasonText()).startsWith("category = 'services/../x' is not valid");
	}

	/** The one registry key of the provided service. */
	private String providedKey() throws Exception {
		List<String> keys = keys("/farine/services/" + this.service + "/");
		assertThat(keys).hasSize(1);
		return keys.get(0);
	}

	/** The etcd keys under a prefix, read from etcd itself. */
	private List<String> keys(String prefix) throws Exception {
		try (Client client = Client.builder().endpoints(this.etcd.endpoint()).build()) {
			return client.getKVClient()
				.get(ByteSequence.from(prefix, StandardCharsets.UTF_8), GetOption.builder().isPrefix(true).build())
				.get(5, TimeUnit.SECONDS)
				.getKvs()
				.stream()
				.map((kv) -> kv.getKey().toString(StandardCharsets.UTF_8))
				.toList();
		}
	}

	@Test
	void byDefaultItListensOnLoopbackOnly() {
		ProvideEndpoint endpoint = this.app.getBean(ProvideEndpoint.class);
		assertThat(endpoint.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
	}

	@Test
	void aReasonTooLongForACloseFrameIsCut() {
		WebSocketCloseStatus status = HttpClient.create()
			.websocket()
			.uri(url("service=x&port=" + "9".repeat(300)))
			.handle((in, out) -> in.receiveCloseStatus())
			.blockFirst(Duration.ofSeconds(20));
		assertThat(status.code()).isEqualTo(1008);
		assertThat(status.reasonText()).startsWith("port = '999").hasSizeLessThanOrEqualTo(123);
	}

	@Test
	void missingParametersCloseTheSocketWithAReason() {
		WebSocketCloseStatus status = HttpClient.create()
			.websocket()
			.uri(url("host=10.0.0.1"))
			.handle((in, out) -> in.receiveCloseStatus())
			.blockFirst(Duration.ofSeconds(20));
		assertThat(status.code()).isEqualTo(1008);
		assertThat(status.reasonText()).contains("service and port are required");
		WebSocketCloseStatus badPort = HttpClient.create()
			.websocket()
			.uri(url("service=x&port=http"))
			.handle((in, out) -> in.receiveCloseStatus())
			.blockFirst(Duration.ofSeconds(20));
		assertThat(badPort.reasonText()).isEqualTo("port = 'http' is not a number from 0 to 65535");
		assertThat(this.registry.members()).extracting(ServiceInstance::service)
			.containsOnly(this.service + "-farine");
		assertThat(List.of(status.code(), badPort.code())).containsOnly(1008);
	}

}
