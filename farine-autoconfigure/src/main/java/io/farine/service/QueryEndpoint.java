package io.farine.service;

import java.util.Objects;

/**
 * An {@code @OnQuery} method found on a service bean: the cluster queries of a name it answers,
 * one method per name in a process. Plain data, so that {@code service} knows nothing of the
 * cluster capability that runs it.
 * <p>
 * Not part of farine's API: public because autoconfigure discovers it and cluster answers it.
 *
 * @param handler the method to call
 * @param name the query name
 * @param arguments makes the method's arguments from a query as it arrived, chosen at discovery
 * @param results how an answer given as a {@code Mono} or future is waited for, chosen at discovery
 */
public record QueryEndpoint(HandlerMethod handler, String name, ArgumentResolver<?> arguments,
		ResultAdapter results) {

	public QueryEndpoint {
		Objects.requireNonNull(handler, "handler");
		Objects.requireNonNull(arguments, "arguments");
		Objects.requireNonNull(results, "results");
		Objects.requireNonNull(name, "name");
	}

	/**
	 * The service the method belongs to.
	 * @return the service name
	 */
	public String service() {
		return this.handler.service();
	}

}
