package io.farine.rpc;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

/**
 * One call being prepared by {@link RpcOperations#request(String)}: arguments, keyword arguments
 * and a timeout, then one of the ways to call. Immutable: each method returns a new request, so a
 * prepared request can be kept and called again.
 */
public final class RpcRequest {

	private final RpcResults results;

	private final String service;

	private final String method;

	private final List<@Nullable Object> args;

	private final Map<String, @Nullable Object> kwargs;

	private final Duration timeout;

	RpcRequest(RpcResults results, String service, String method, List<@Nullable Object> args,
			Map<String, @Nullable Object> kwargs, Duration timeout) {
		this.results = results;
		this.service = service;
		this.method = method;
		this.args = args;
		this.kwargs = kwargs;
		this.timeout = timeout;
	}

	/**
	 * Sets the positional arguments.
	 * @param args the arguments, sent as JSON
	 * @return a request with these arguments
	 */
	public RpcRequest args(@Nullable Object... args) {
		return new RpcRequest(this.results, this.service, this.method, Collections.unmodifiableList(Arrays.asList(args.clone())),
				this.kwargs, this.timeout);
	}

	/**
	 * Adds a keyword argument, matched to a parameter by name on the server.
	 * @param name the parameter name
	 * @param value the value, sent as JSON
	 * @return a request with this keyword argument
	 */
	public RpcRequest kwarg(String name, @Nullable Object value) {
		Map<String, @Nullable Object> kwargs = new LinkedHashMap<>(this.kwargs);
		kwargs.put(name, value);
		return new RpcRequest(this.results, this.service, this.method, this.args, Collections.unmodifiableMap(kwargs),
				this.timeout);
	}

	/**
	 * Sets how long the call waits for its reply, and a stream for each next item.
	 * @param timeout the timeout
	 * @return a request with this timeout
	 */
	public RpcRequest timeout(Duration timeout) {
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("An RPC timeout must be positive, not " + timeout);
		}
		return new RpcRequest(this.results, this.service, this.method, this.args, this.kwargs, timeout);
	}

	/**
	 * Calls and waits for the result.
	 * @return the result as JSON (a JSON null for {@code null}/{@code None})
	 * @throws RpcException if the call failed, timed out or could not be routed
	 */
	public JsonNode call() {
		return call(JsonNode.class);
	}

	/**
	 * Calls and waits for the result, converted to a type.
	 * @param <T> the result type
	 * @param resultType the result type
	 * @return the result
	 * @throws RpcException if the call failed, timed out or could not be routed
	 */
	@SuppressWarnings("unchecked")
	public <T> T call(Class<T> resultType) {
		return (T) this.results.call(toCall(false), this.results.codec().type(resultType));
	}

	/**
	 * Calls without waiting.
	 * @param <T> the result type
	 * @param resultType the result type
	 * @return the result's future, failed with an {@link RpcException}; cancelling it cancels the call
	 */
	public <T> CompletableFuture<T> callAsync(Class<T> resultType) {
		return this.results.callAsync(toCall(false), this.results.codec().type(resultType));
	}

	/**
	 * Calls a streaming method; items are read as they arrive. Close the stream to stop early.
	 * @param <T> the item type
	 * @param itemType the item type
	 * @return the items
	 */
	public <T> Stream<T> stream(Class<T> itemType) {
		return this.results.stream(toCall(true), this.results.codec().type(itemType));
	}

	/**
	 * A flux that calls a streaming method when subscribed; cancel it to stop early.
	 * @param <T> the item type
	 * @param itemType the item type
	 * @return the items
	 */
	public <T> Flux<T> flux(Class<T> itemType) {
		return this.results.flux(toCall(true), this.results.codec().type(itemType));
	}

	/**
	 * Sends the request one way (snakemq's {@code as_signal}): the remote method runs and sends
	 * nothing back, and nothing waits for it. See {@link OneWay}.
	 * @return completed once the broker has the request; failed with an
	 * {@link RpcUnroutableException} when no server's queue takes it, or an {@link RpcException}
	 */
	public CompletableFuture<Void> signal() {
		return this.results.signal(toCall(false));
	}

	private RpcTransport.Call toCall(boolean streaming) {
		return new RpcTransport.Call(this.service, this.method, this.args, this.kwargs, this.timeout, streaming);
	}

	@Override
	public String toString() {
		return this.service + "." + this.method + this.args + ((this.kwargs.isEmpty()) ? "" : " " + this.kwargs);
	}

}
