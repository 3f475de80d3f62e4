package io.farine.registry;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

import io.farine.config.RegistrySettings;
import io.farine.service.FarinePhases;

import org.springframework.context.SmartLifecycle;

/**
 * skyapi's {@code /provide}: any process, in any language, joins the registry by holding a
 * websocket open on {@code /provide?service=foo&host=...&port=9999&priority=1&weight=100&category=services}
 * ({@code service} and {@code port} required; {@code host} defaults to the caller's address, the
 * other fields to the service's registry settings). While the socket is open the caller is
 * registered like a farine instance, on this process's lease. As skyapi does, the server pings
 * every half of {@code provide_ttl}; any frame from the client (its pong, its own ping) keeps it,
 * and when none came for {@code provide_ttl}, or the socket closes, the entry is removed at once.
 * <p>
 * It listens on {@code provide_host} (loopback unless configured), and any other address needs
 * {@code provide_token}: start-up refuses without it. {@link ProvideAccess} decides who may stay.
 * A refused socket (no or wrong token, a service not in {@code provide_services}, more than
 * {@code provide_max_clients} sockets, bad parameters) is closed with status 1008 and a reason,
 * and logged, never with the token.
 */
final class ProvideEndpoint implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ProvideEndpoint.class);

	/** A close frame's reason fits in 123 bytes (RFC 6455, section 5.5). */
	private static final int MAX_REASON_BYTES = 123;

	private final EtcdServiceRegistry registry;

	private final RegistrySettings.Provide settings;

	private final ProvideAccess access;

	/** How long a socket may go without a frame ({@code provide_ttl}); pinged every half of it. */
	private final Duration ttl;

	private volatile @Nullable DisposableServer server;

	/**
	 * Creates the endpoint; it listens when started.
	 * @param registry registers the callers
	 * @param settings where it listens ({@code provide_port}, {@code null} for off, or 0 for any free
	 * one; {@code provide_host}), who may use it and how long a client may stay silent
	 * ({@code provide_ttl})
	 * @throws ProvideUnprotectedException if it would listen on a non-loopback address without a token
	 */
	ProvideEndpoint(EtcdServiceRegistry registry, RegistrySettings.Provide settings) {
		if (settings.port() != null && settings.token() == null && !loopback(settings.host())) {
			throw new ProvideUnprotectedException(settings.host(), settings.port());
		}
		this.registry = registry;
		this.settings = settings;
		this.access = new ProvideAccess(settings);
		this.ttl = settings.ttl();
	}

	/** Whether every address the host names is a loopback one; a name that does not resolve is not. */
	private static boolean loopback(String host) {
		try {
			return Arrays.stream(InetAddress.getAllByName(host)).allMatch(InetAddress::isLoopbackAddress);
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	@Override
	public void start() {
		Integer port = this.settings.port();
		if (port == null || this.registry.etcdDescription() == null) {
			return;
		}
		this.server = HttpServer.create()
			.host(this.settings.host())
			.port(port)
			.route((routes) -> routes.get("/provide", (request, response) -> response.sendWebsocket(
					(in, out) -> provide(request, in, out), WebsocketServerSpec.builder().handlePing(true).build())))
			.bindNow();
		logger.info("Serving /provide on " + this.settings.host() + ":" + port() + " (" + this.access
				+ "): processes join the registry while their websocket is open");
	}

	/**
	 * The port it listens on.
	 * @return the port, or -1 when stopped
	 */
	public int port() {
		DisposableServer current = this.server;
		return (current != null) ? current.port() : -1;
	}

	/**
	 * The address it listens on.
	 * @return the bound address and port, or {@code null} when stopped
	 */
	public @Nullable InetSocketAddress address() {
		DisposableServer current = this.server;
		return (current != null) ? (InetSocketAddress) current.address() : null;
	}

	private Mono<Void> provide(HttpServerRequest request, WebsocketInbound in, WebsocketOutbound out) {
		Map<String, List<String>> query;
		try {
			query = new QueryStringDecoder(request.uri()).parameters();
		}
		catch (IllegalArgumentException ex) {
			// its message quotes the text, which may be the token
			return refuse(request, out, "the query is not valid URL encoding");
		}
		String refused = this.access.refusal(request, query);
		if (refused != null) {
			return refuse(request, out, refused);
		}
		ServiceInstance.Backend backend;
		try {
			backend = backend(request, query);
		}
		catch (IllegalArgumentException ex) {
			return refuse(request, out, ex.getMessage());
		}
		refused = this.access.refusal(backend.name());
		if (refused != null) {
			return refuse(request, out, refused);
		}
		if (!this.access.enter()) {
			return refuse(request, out, this.access.full());
		}
		ServiceInstance provided;
		try {
			provided = backend.register();
		}
		catch (RuntimeException ex) {
			this.access.leave();
			throw ex;
		}
		String who = provided.service() + " at " + provided.host() + ":" + provided.port();
		logger.info("/provide: " + who + " joined");
		// skyapi's keep-alive: a ping every half TTL; any frame that comes back resets the TTL
		Duration every = this.ttl.dividedBy(2);
		Mono<Void> pings = Flux.interval(every, every)
			.concatMap((tick) -> out.sendObject(new PingWebSocketFrame()).then())
			.then()
			.onErrorComplete();
		Mono<Void> frames = in.receiveFrames()
			.timeout(this.ttl)
			.concatMap((frame) -> (frame instanceof PingWebSocketFrame ping)
					? out.sendObject(new PongWebSocketFrame(ping.content().retain())).then() : Mono.empty())
			.then()
			.onErrorResume(TimeoutException.class, (ex) -> {
				logger.info("/provide: " + who + " sent no frame, not even a pong, for " + this.ttl.toMillis()
						+ " ms (provide_ttl)");
				return out.sendClose(1001, "no frame for " + this.ttl.toMillis() + " ms (provide_ttl)");
			});
		return Mono.firstWithSignal(frames, pings).doFinally((signal) -> {
			this.access.leave();
			this.registry.deregister(provided);
			logger.info("/provide: " + who + " left");
		});
	}

	/**
	 * Closes a socket with 1008 (policy violation) and logs why. The reason quotes what the caller
	 * sent (never the token): control characters are replaced and it is cut to fit a close frame.
	 */
	private static Mono<Void> refuse(HttpServerRequest request, WebsocketOutbound out, String reason) {
		String safe = fit(reason.replaceAll("\\p{Cntrl}", "?"));
		InetSocketAddress caller = request.remoteAddress();
		logger.warn("/provide: refused a client from " + ((caller != null) ? caller.getAddress().getHostAddress() : "?")
				+ ": " + safe);
		return out.sendClose(1008, safe);
	}

	/** The longest start of the text that fits a close frame; the encoder never splits a character. */
	private static String fit(String text) {
		ByteBuffer bytes = ByteBuffer.allocate(MAX_REASON_BYTES);
		StandardCharsets.UTF_8.newEncoder()
			.onMalformedInput(CodingErrorAction.REPLACE)
			.onUnmappableCharacter(CodingErrorAction.REPLACE)
			.encode(CharBuffer.wrap(text), bytes, true);
		return new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8);
	}

	/** The caller's registration from the query; what it does not give comes from its service's settings. */
	private ServiceInstance.Backend backend(HttpServerRequest request, Map<String, List<String>> query) {
		String service = first(query, "service");
		String port = first(query, "port");
		if (service == null || service.isBlank() || port == null) {
			throw new IllegalArgumentException("service and port are required, as in /provide?service=foo&port=9999 "
					+ "(host, priority, weight and category are optional)");
		}
		String host = first(query, "host");
		if (host == null || host.isBlank()) {
			InetSocketAddress caller = request.remoteAddress();
			host = (caller != null) ? caller.getAddress().getHostAddress() : "127.0.0.1";
		}
		ServiceInstance.Backend backend = this.registry.backend(service).host(host).port(number(port, "port"));
		String priority = first(query, "priority");
		if (priority != null) {
			backend.priority(number(priority, "priority"));
		}
		String weight = first(query, "weight");
		if (weight != null) {
			backend.weight(number(weight, "weight"));
		}
		String category = first(query, "category");
		if (category != null && !category.isBlank()) {
			backend.category(category);
		}
		return backend;
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
		return FarinePhases.PROVIDE;
	}

}
