package io.farine.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.handler.codec.http.HttpHeaderNames;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.server.HttpServerRequest;

import io.farine.config.RegistrySettings;

/**
 * Who may hold a {@code /provide} socket: a caller that sends {@code provide_token} (when one is
 * set) as {@code ?token=...} or {@code Authorization: Bearer ...}, for a service named in
 * {@code provide_services} (when set), while fewer than {@code provide_max_clients} sockets are
 * open. Each check answers why it refuses, in words that never quote a token.
 */
final class ProvideAccess {

	private static final String BEARER = "bearer ";

	private final byte @Nullable [] token;

	private final List<String> services;

	private final int maxClients;

	private final AtomicInteger open = new AtomicInteger();

	ProvideAccess(RegistrySettings.Provide settings) {
		this.token = (settings.token() != null) ? settings.token().getBytes(StandardCharsets.UTF_8) : null;
		this.services = settings.services();
		this.maxClients = settings.maxClients();
	}

	/**
	 * Why a caller is refused: no token, or the wrong one.
	 * @return the reason, or {@code null} when it may go on
	 */
	@Nullable String refusal(HttpServerRequest request, Map<String, List<String>> query) {
		if (this.token == null) {
			return null;
		}
		String sent = sent(request, query);
		if (sent == null) {
			return "a token is required: send ?token=... or Authorization: Bearer ... (provide_token)";
		}
		// compares every byte whatever the first difference, so the time taken tells nothing
		return MessageDigest.isEqual(this.token, sent.getBytes(StandardCharsets.UTF_8)) ? null
				: "the token is wrong (provide_token)";
	}

	private static @Nullable String sent(HttpServerRequest request, Map<String, List<String>> query) {
		List<String> inQuery = query.get("token");
		if (inQuery != null && !inQuery.isEmpty()) {
			return inQuery.get(0);
		}
		String authorization = request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
		if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			return authorization.substring(BEARER.length()).strip();
		}
		return null;
	}

	/**
	 * Why a service may not be registered through {@code /provide}: it is not in
	 * {@code provide_services}.
	 * @return the reason, or {@code null} when it may
	 */
	@Nullable String refusal(String service) {
		return (this.services.isEmpty() || this.services.contains(service)) ? null
				: "service '" + service + "' may not be registered here (provide_services)";
	}

	/**
	 * Takes a place for one more socket, if {@code provide_max_clients} leaves one.
	 * @return true if the socket may stay; it then calls {@link #leave()} when it closes
	 */
	boolean enter() {
		if (this.open.incrementAndGet() > this.maxClients) {
			this.open.decrementAndGet();
			return false;
		}
		return true;
	}

	/** Gives back the place of a socket that {@link #enter()} admitted. */
	void leave() {
		this.open.decrementAndGet();
	}

	/** Why a socket is refused when {@link #enter()} said no. */
	String full() {
		return "too many clients: " + this.maxClients + " sockets are open (provide_max_clients)";
	}

	/**
	 * For the start-up log line: what a caller must do.
	 * @return a short description, never the token
	 */
	@Override
	public String toString() {
		return ((this.token != null) ? "token required" : "no token") + ", services "
				+ (this.services.isEmpty() ? "any" : String.join(",", this.services)) + ", at most " + this.maxClients
				+ " clients";
	}

}
