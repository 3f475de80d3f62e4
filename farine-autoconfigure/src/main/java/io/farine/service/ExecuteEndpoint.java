package io.farine.service;

import java.util.Objects;

/**
 * An {@code @Execute} method found on a service bean.
 * <p>
 * Not part of farine's API: public because autoconfigure discovers it and execute runs it.
 *
 * @param handler the method to run
 * @param restart whether it runs again when it ends
 */
public record ExecuteEndpoint(HandlerMethod handler, boolean restart) {

	public ExecuteEndpoint {
		Objects.requireNonNull(handler, "handler");
		if (handler.method().getParameterCount() != 0) {
			throw new IllegalStateException("@Execute method " + handler + " must take no parameters.");
		}
	}

	/**
	 * The service the method belongs to.
	 * @return the service name
	 */
	public String service() {
		return this.handler.service();
	}

}
