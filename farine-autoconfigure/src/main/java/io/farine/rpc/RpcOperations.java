package io.farine.rpc;

import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;

/**
 * Calls the RPC methods of one service by name, the Java form of the Python original's
 * {@code rpc.method(*args)}: inject one with {@code @RpcClient("service") RpcOperations service;}
 * or get one from {@link RpcClientFactory#operations(String)}. Results come as JSON trees or
 * converted to a requested type; {@link #request(String)} adds keyword arguments and a timeout.
 * <pre class="code">
 * int sum = calculator.call("add", Integer.class, 1, 2);
 * try (Stream&lt;Integer&gt; numbers = calculator.stream("count", Integer.class, 10)) { ... }
 * JsonNode echoed = calculator.request("echo").args(1).kwarg("x", "y").call();
 * </pre>
 */
public interface RpcOperations {

	/**
	 * The service this client calls.
	 * @return the service name
	 */
	String service();

	/**
	 * Starts a call of a method, to add arguments, keyword arguments and a timeout.
	 * @param method the method name
	 * @return the request, with no arguments yet
	 */
	RpcRequest request(String method);

	/**
	 * Calls a method and waits for its result.
	 * @param method the method name
	 * @param args the positional arguments
	 * @return the result as JSON (a JSON null for {@code null}/{@code None})
	 * @throws RpcException if the call failed, timed out or could not be routed
	 */
	default JsonNode call(String method, Object... args) {
		return request(method).args(args).call();
	}

	/**
	 * Calls a method and waits for its result, converted to a type.
	 * @param <T> the result type
	 * @param method the method name
	 * @param resultType the result type
	 * @param args the positional arguments
	 * @return the result
	 * @throws RpcException if the call failed, timed out or could not be routed
	 */
	default <T> T call(String method, Class<T> resultType, Object... args) {
		return request(method).args(args).call(resultType);
	}

	/**
	 * Calls a method without waiting.
	 * @param <T> the result type
	 * @param method the method name
	 * @param resultType the result type
	 * @param args the positional arguments
	 * @return the result's future, failed with an {@link RpcException}; cancelling it cancels the call
	 */
	default <T> CompletableFuture<T> callAsync(String method, Class<T> resultType, Object... args) {
		return request(method).args(args).callAsync(resultType);
	}

	/**
	 * Calls a streaming method; items are read as they arrive. Close the stream to stop early.
	 * @param <T> the item type
	 * @param method the method name
	 * @param itemType the item type
	 * @param args the positional arguments
	 * @return the items
	 */
	default <T> Stream<T> stream(String method, Class<T> itemType, Object... args) {
		return request(method).args(args).stream(itemType);
	}

	/**
	 * Calls a method one way (snakemq's {@code as_signal}): the request is sent, the remote method
	 * runs and sends nothing back, and nothing waits for it (see {@link OneWay}).
	 * @param method the method name
	 * @param args the positional arguments
	 * @return completed once the broker has the request (ignore it to return at once); failed with
	 * an {@link RpcUnroutableException} when no server's queue takes it, or an {@link RpcException}
	 */
	default CompletableFuture<Void> signal(String method, Object... args) {
		return request(method).args(args).signal();
	}

}
