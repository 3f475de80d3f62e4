package io.farine.service;

import java.util.Objects;

/**
 * An {@code @OnEvent} method found on a service bean: the cluster events of a name it receives.
 * Plain data, so that {@code service} knows nothing of the cluster capability that runs it.
 * <p>
 * Not part of farine's API: public because autoconfigure discovers it and cluster runs it.
 *
 * @param handler the method to call
 * @param name the event name, or {@code "*"} for every event
 * @param arguments makes the method's arguments from an event as it arrived, chosen at discovery
 */
public record EventEndpoint(HandlerMethod handler, String name, ArgumentResolver<?> arguments) {

	public EventEndpoint {
		Objects.requireNonNull(handler, "handler");
		Objects.requireNonNull(arguments, "arguments");
		Objects.requireNonNull(name, "name");
	}

	/**
	 * Whether the method receives events of a name.
	 * @param event the name of an event that arrived
	 * @return true for its own name, or for any name when it takes {@code "*"}
	 */
	public boolean receives(String event) {
		return "*".equals(this.name) || this.name.equals(event);
	}

	/**
	 * The service the method belongs to.
	 * @return the service name
	 */
	public String service() {
		return this.handler.service();
	}

}
