package io.farine.registry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;

import io.farine.test.Closer;
import io.farine.test.EtcdProcess;
import io.farine.test.Rabbit;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * skyapi's {@code /provide} against a real etcd: a websocket client is registered while its
 * socket is open, removed at once when it closes, removed after the TTL when its pings stop, and
 * refused with a reason when it names no service or port. By default it listens on loopback only.
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
				"farine.defaults.provide_port=0", "farine.services." + this.service + ".skydns_domain=farine.example"));
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
	void aClientWhosePingsStopIsRemovedAfterTheTtl() {
		Disposable socket = HttpClient.create()
			.websocket()
			.uri(url("service=" + this.service + "&port=9999"))
			.handle((in, out) -> Mono.never())
			.subscribe();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> this.registry.instances(this.service).size() == 1);
			assertThat(this.registry.instances(this.service).get(0).host()).isEqualTo("127.0.0.1");
			await().atMost(Duration.ofSeconds(20)).until(() -> this.registry.instances(this.service).isEmpty());
		}
		finally {
			socket.dispose();
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
