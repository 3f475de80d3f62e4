package io.farine.service;

import java.util.Objects;

/**
 * An {@code @RpcMethod} found on a service bean: the method callers reach as
 * {@code <service>.<name>}.
 * <p>
 * Not part of farine's API: public because autoconfigure discovers it and rpc serves it.
 *
 * @param handler the method to call
 * @param name the RPC method name
 * @param streaming whether an {@code Iterable} result is sent item by item
 * @param concurrency how many calls run in parallel; 0 for the service's setting
 * @param arguments makes the method's arguments from a request body, chosen at discovery
 * @param results how a reactive result is waited for, chosen at discovery from the return type
 */
public record RpcEndpoint(HandlerMethod handler, String name, boolean streaming, int concurrency,
		ArgumentResolver<?> arguments, ResultAdapter results) {

	/** Separates the service and method names in RPC queue names and routing keys. */
	public static final String SEPARATOR = "__";

	public RpcEndpoint {
		Objects.requireNonNull(handler, "handler");
		Objects.requireNonNull(arguments, "arguments");
		Objects.requireNonNull(results, "results");
		PublishEndpoint.requireText(name, "name", handler);
		if (concurrency < 0) {
			throw new IllegalStateException(handler + ": @RpcMethod concurrency must be 0 or more, not " + concurrency);
		}
	}

	/**
	 * The service the method belongs to.
	 * @return the service name
	 */
	public String service() {
		return this.handler.service();
	}

	/**
	 * The queue and routing key of the method, {@code <service>__<name>} as in the Python original.
	 * @return the queue name
	 */
	public String queue() {
		return service() + SEPARATOR + this.name;
	}

}
