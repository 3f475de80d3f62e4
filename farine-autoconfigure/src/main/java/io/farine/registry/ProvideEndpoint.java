package io.farine.registry;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
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
 * websocket open on {@code /provide?service=foo&host=...&port=9999&priority=1&weight=100}
 * ({@code service} and {@code port} required; {@code host} defaults to the caller's address). While
 * the socket is open the caller is registered like a farine instance, on this process's lease;
 * when the socket closes, or no ping came for the registry's TTL, the entry is removed at once.
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

	private final Duration idle;

	private volatile @Nullable DisposableServer server;

	/**
	 * Creates the endpoint; it listens when started.
	 * @param registry registers the callers
	 * @param settings where it listens ({@code provide_port}, {@code null} for off, or 0 for any free
	 * one; {@code provide_host}) and who may use it
	 * @param idle how long a socket may go without a ping (the registry's TTL)
	 * @throws ProvideUnprotectedException if it would listen on a non-loopback address without a token
	 */
	ProvideEndpoint(EtcdServiceRegistry registry, RegistrySettings.Provide settings, Duration idle) {
		if (settings.port() != null && settings.token() == null && !loopback(settings.host())) {
			throw new ProvideUnprotectedException(settings.host(), settings.port());
		}
		this.registry = registry;
		this.settings = settings;
		this.access = new ProvideAccess(settings);
		this.idle = idle;
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
		ServiceInstance backend;
		try {
			backend = backend(request, query);
		}
		catch (IllegalArgumentException ex) {
			return refuse(request, out, ex.getMessage());
		}
		refused = this.access.refusal(backend.service());
		if (refused != null) {
			return refuse(request, out, refused);
		}
		if (!this.access.enter()) {
			return refuse(request, out, this.access.full());
		}
		try {
			this.registry.register(backend);
		}
		catch (RuntimeException ex) {
			this.access.leave();
			throw ex;
		}
		logger.info("/provide: " + backend.service() + " at " + backend.host() + ":" + backend.port() + " joined");
		return in.receiveFrames()
			.timeout(this.idle)
			.concatMap((frame) -> (frame instanceof PingWebSocketFrame ping)
					? out.sendObject(new PongWebSocketFrame(ping.content().retain())).then() : Mono.empty())
			.then()
			.onErrorResume(TimeoutException.class,
					(ex) -> out.sendClose(1001, "no ping for " + this.idle.toSeconds() + " s"))
			.doFinally((signal) -> {
				this.access.leave();
				this.registry.deregister(backend);
				logger.info("/provide: " + backend.service() + " at " + backend.host() + ":" + backend.port() + " left");
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

	private static ServiceInstance backend(HttpServerRequest request, Map<String, List<String>> query) {
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
		return new ServiceInstance(service, ServiceInstance.newInstanceId(), host, number(port, "port"), "tcp", null,
				null, null, number(first(query, "priority"), "priority", 1), number(first(query, "weight"), "weight", 100),
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
		return FarinePhases.PROVIDE;
	}

}
