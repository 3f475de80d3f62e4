package io.farine.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.farine.test.Closer;
import io.farine.test.EtcdProcess;
import io.farine.test.Rabbit;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Who may use {@code /provide}, against a real etcd and real sockets: with {@code provide_token}
 * a caller sends it in the query or as a bearer token, or is refused with 1008; a service outside
 * {@code provide_services} is refused; the socket past {@code provide_max_clients} is refused until
 * one closes; no log line shows a token; and a non-loopback {@code provide_host} without a token
 * stops start-up with a report naming both keys.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProvideAccessIntegrationTests {

	private static final String TOKEN = "s3cret-provide-token";

	private final Closer closer = new Closer();

	private final String service = Rabbit.unique("provided");

	private final List<Disposable> sockets = new ArrayList<>();

	private EtcdProcess etcd;

	private EtcdServiceRegistry registry;

	private ProvideEndpoint endpoint;

	@BeforeEach
	void etcd() throws Exception {
		this.etcd = this.closer.add(EtcdProcess.start());
	}

	@AfterEach
	void stop() throws Exception {
		this.sockets.forEach(Disposable::dispose);
		this.closer.close();
	}

	/** Starts an application whose {@code /provide} takes {@link #TOKEN}, this test's service and two sockets. */
	private void startGuarded() {
		start("farine.defaults.provide_token=" + TOKEN, "farine.defaults.provide_services=" + this.service + ",other",
				"farine.defaults.provide_max_clients=2");
	}

	private void start(String... provide) {
		List<String> properties = new ArrayList<>(List.of("t.service=" + this.service + "-farine",
				"farine.defaults.etcd_endpoints=" + this.etcd.endpoint(), "farine.defaults.registry_ttl=2",
				"farine.defaults.provide_port=0"));
		properties.addAll(List.of(provide));
		ConfigurableApplicationContext app = this.closer
			.add(RegisteringApplication.start(properties.toArray(String[]::new)));
		this.registry = app.getBean(EtcdServiceRegistry.class);
		this.endpoint = app.getBean(ProvideEndpoint.class);
		await().atMost(Duration.ofSeconds(20)).until(() -> this.registry.state() == RegistryState.REGISTERED);
	}

	private String url(String query) {
		return "ws://127.0.0.1:" + this.endpoint.port() + "/provide?" + query;
	}

	/** Opens a socket that pings every 300 ms until the test ends. */
	private void hold(HttpClient client, String query) {
		this.sockets.add(client.websocket()
			.uri(url(query))
			.handle((in, out) -> out
				.sendObject(Flux.interval(Duration.ofMillis(300)).map((i) -> new PingWebSocketFrame())))
			.subscribe());
	}

	private WebSocketCloseStatus closeStatus(HttpClient client, String query) {
		return client.websocket()
			.uri(url(query))
			.handle((in, out) -> in.receiveCloseStatus())
			.blockFirst(Duration.ofSeconds(20));
	}

	private int provided() {
		return this.registry.instances(this.service).size();
	}

	@Test
	void aCallerWithoutTheTokenIsRefused() {
		startGuarded();
		WebSocketCloseStatus status = closeStatus(HttpClient.create(), "service=" + this.service + "&port=9999");
		assertThat(status.code()).isEqualTo(1008);
		assertThat(status.reasonText()).startsWith("a token is required");
		assertThat(provided()).isZero();
	}

	@Test
	void aCallerWithAWrongTokenIsRefusedAndNoLogLineShowsAToken(CapturedOutput output) {
		startGuarded();
		WebSocketCloseStatus inQuery = closeStatus(HttpClient.create(),
				"service=" + this.service + "&port=9999&token=guessed-in-query");
		WebSocketCloseStatus inHeader = closeStatus(
				HttpClient.create().headers((headers) -> headers.set("Authorization", "Bearer guessed-in-header")),
				"service=" + this.service + "&port=9999");
		assertThat(List.of(inQuery.code(), inHeader.code())).containsOnly(1008);
		assertThat(List.of(inQuery.reasonText(), inHeader.reasonText()))
			.containsOnly("the token is wrong (provide_token)");
		assertThat(provided()).isZero();
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(output.getOut().lines().filter((l) -> l.contains("/provide: refused")))
				.hasSize(2)
				.allMatch((line) -> line.contains("from 127.0.0.1: the token is wrong")));
		assertThat(output.toString()).doesNotContain(TOKEN, "guessed-in-query", "guessed-in-header");
	}

	@Test
	void theTokenIsTakenInTheQueryAndAsABearerHeader() {
		startGuarded();
		hold(HttpClient.create(), "service=" + this.service + "&port=9001&token=" + TOKEN);
		hold(HttpClient.create().headers((headers) -> headers.set("Authorization", "Bearer " + TOKEN)),
				"service=" + this.service + "&port=9002");
		await().atMost(Duration.ofSeconds(20)).until(() -> provided() == 2);
		assertThat(this.registry.instances(this.service)).extracting(ServiceInstance::port)
			.containsExactlyInAnyOrder(9001, 9002);
	}

	@Test
	void aServiceOutsideProvideServicesIsRefused() {
		startGuarded();
		WebSocketCloseStatus status = closeStatus(HttpClient.create(), "service=payments&port=443&token=" + TOKEN);
		assertThat(status.code()).isEqualTo(1008);
		assertThat(status.reasonText()).isEqualTo("service 'payments' may not be registered here (provide_services)");
		assertThat(this.registry.instances("payments")).isEmpty();
	}

	@Test
	void theSocketPastProvideMaxClientsIsRefusedUntilOneCloses() {
		startGuarded();
		hold(HttpClient.create(), "service=" + this.service + "&port=9001&token=" + TOKEN);
		hold(HttpClient.create(), "service=" + this.service + "&port=9002&token=" + TOKEN);
		await().atMost(Duration.ofSeconds(20)).until(() -> provided() == 2);
		WebSocketCloseStatus third = closeStatus(HttpClient.create(),
				"service=" + this.service + "&port=9003&token=" + TOKEN);
		assertThat(third.code()).isEqualTo(1008);
		assertThat(third.reasonText()).isEqualTo("too many clients: 2 sockets are open (provide_max_clients)");
		assertThat(this.registry.instances(this.service)).extracting(ServiceInstance::port)
			.containsExactlyInAnyOrder(9001, 9002);
		this.sockets.remove(0).dispose();
		await().atMost(Duration.ofSeconds(20)).until(() -> provided() == 1);
		hold(HttpClient.create(), "service=" + this.service + "&port=9003&token=" + TOKEN);
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(this.registry.instances(this.service))
			.extracting(ServiceInstance::port)
			.containsExactlyInAnyOrder(9002, 9003));
	}

	@Test
	void aNonLoopbackAddressWithoutATokenStopsStartUpNamingBothKeys(CapturedOutput output) {
		assertThatThrownBy(() -> start("farine.defaults.provide_host=0.0.0.0"))
			.hasRootCauseInstanceOf(ProvideUnprotectedException.class);
		assertThat(output).contains("APPLICATION FAILED TO START",
				"/provide would listen on 0.0.0.0:0 (provide_host) without a provide_token",
				"set provide_token to a shared secret", "set provide_host to a loopback address");
	}

	@Test
	void aNonLoopbackAddressWithATokenListensThere() {
		start("farine.defaults.provide_host=0.0.0.0", "farine.defaults.provide_token=" + TOKEN);
		assertThat(this.endpoint.address().getAddress().isAnyLocalAddress()).isTrue();
		hold(HttpClient.create(), "service=" + this.service + "&port=9001&token=" + TOKEN);
		await().atMost(Duration.ofSeconds(20)).until(() -> provided() == 1);
	}

}
