package io.farine.registry;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

import io.farine.amqp.Wire;

import org.springframework.context.SmartLifecycle;

/**
 * skyapi's {@code /provide}: any process, in any language, joins the registry by holding a
 * websocket open on {@code /provide?service=foo&host=...&port=9999&priority=1&weight=100}
 * ({@code service} and {@code port} required; {@code host} defaults to the caller's address). While
 * the socket is open the caller is registered like a farine instance, on this process's lease;
 * when the socket closes, or no ping came for the registry's TTL, the entry is removed at once.
 * Bad parameters close the socket with status 1008 and a reason naming them.
 */
public final class ProvideEndpoint implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ProvideEndpoint.class);

	private final EtcdServiceRegistry registry;

	/** {@code provide_port}, or {@code null}: off. */
	private final @Nullable Integer port;

	private final Duration idle;

	private volatile @Nullable DisposableServer server;

	/**
	 * Creates the endpoint; it listens when started.
	 * @param registry registers the callers
	 * @param port the port to listen on (0 for any free one), or {@code null} for none: off
	 * @param idle how long a socket may go without a ping (the registry's TTL)
	 */
	public ProvideEndpoint(EtcdServiceRegistry registry, @Nullable Integer port, Duration idle) {
		this.registry = registry;
		this.port = port;
		this.idle = idle;
	}

	@Override
	public void start() {
		if (this.port == null || this.registry.etcdDescription() == null) {
			return;
		}
		this.server = HttpServer.create()
			.port(this.port)
			.route((routes) -> routes.get("/provide", (request, response) -> response.sendWebsocket(
					(in, out) -> provide(request, in, out), WebsocketServerSpec.builder().handlePing(true).build())))
			.bindNow();
		logger.info("Serving /provide on port " + port() + ": processes join the registry while their websocket is open");
	}

	/**
	 * The port it listens on.
	 * @return the port, or -1 when stopped
	 */
	public int port() {
		DisposableServer current = this.server;
		return (current != null) ? current.port() : -1;
	}

	private Mono<Void> provide(HttpServerRequest request, WebsocketInbound in, WebsocketOutbound out) {
		ServiceInstance backend;
		try {
			backend = backend(request);
		}
		catch (IllegalArgumentException ex) {
			return out.sendClose(1008, ex.getMessage());
		}
		this.registry.register(backend);
		logger.info("/provide: " + backend.service() + " at " + backend.host() + ":" + backend.port() + " joined");
		return in.receiveFrames()
			.timeout(this.idle)
			.concatMap((frame) -> (frame instanceof PingWebSocketFrame ping)
					? out.sendObject(new PongWebSocketFrame(ping.content().retain())).then() : Mono.empty())
			.then()
			.onErrorResume(TimeoutException.class,
					(ex) -> out.sendClose(1001, "no ping for " + this.idle.toSeconds() + " s"))
			.doFinally((signal) -> {
				this.registry.deregister(backend);
				logger.info("/provide: " + backend.service() + " at " + backend.host() + ":" + backend.port() + " left");
			});
	}

	private static ServiceInstance backend(HttpServerRequest request) {
		Map<String, List<String>> query = new QueryStringDecoder(URI.create(request.uri())).parameters();
		String service = first(query, "service");
		String port = first(query, "port");
		if (service == null || service.isBlank() || port == null) {
			throw new IllegalArgumentException("service and port are required, as in "
					+ "/provide?service=foo&port=9999 (host, priority and weight are optional)");
		}
		String host = first(query, "host");
		if (host == null || host.isBlank()) {
			InetSocketAddress caller = request.remoteAddress();
			host = (caller != null) ? caller.getAddress().getHostAddress() : "127.0.0.1";
		}
		return new ServiceInstance(service, Wire.newId(), host, number(port, "port"), "tcp", null, null, null,
				number(first(query, "priority"), "priority", 1), number(first(query, "weight"), "weight", 100),
				List.of(), new ServiceInstance.EntryPoints(List.of(), List.of()), null, Instant.now().toString(),
				ServiceInstance.ALIVE);
	}

	private static @Nullable String first(Map<String, List<String>> query, String name) {
		List<String> values = query.get(name);
		return (values == null || values.isEmpty()) ? null : values.get(0);
	}

	private static int number(@Nullable String text, String name, int otherwise) {
		return (text == null) ? otherwise : number(text, name);
	}

	private static int number(String text, String name) {
		try {
			int value = Integer.parseInt(text.strip());
			if (value < 0 || value > 65535) {
				throw new NumberFormatException();
			}
			return value;
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(name + " = '" + text + "' is not a number from 0 to 65535");
		}
	}

	@Override
	public void stop() {
		DisposableServer current = this.server;
		this.server = null;
		if (current != null) {
			current.disposeNow(Duration.ofSeconds(5));
		}
	}

	@Override
	public boolean isRunning() {
		return this.server != null;
	}

	@Override
	public int getPhase() {
		// starts after the registry and stops before it: entries go while it can delete them
		return EtcdServiceRegistry.PHASE + 1;
	}

}
