package io.farine.service;

import java.util.List;
import java.util.Objects;

/**
 * An {@code @SseListener} method found on a service bean.
 * <p>
 * Not part of farine's API: public because autoconfigure discovers it and sse runs it.
 *
 * @param handler the method to call
 * @param endpoint the stream URL from the annotation, placeholders resolved; empty for the service's {@code endpoint} key
 * @param event the event name to keep; empty for all
 * @param headers extra request headers as {@code Name: value}, placeholders resolved
 * @param stopOnError whether a failing handler stops the listener
 * @param arguments makes the method's argument from an event, chosen at discovery
 */
public record SseEndpoint(HandlerMethod handler, String endpoint, String event, List<String> headers,
		boolean stopOnError, ArgumentResolver<?> arguments) {

	public SseEndpoint {
		Objects.requireNonNull(handler, "handler");
		Objects.requireNonNull(arguments, "arguments");
		headers = List.copyOf(headers);
		if (handler.method().getParameterCount() != 1) {
			throw new IllegalStateException("@SseListener method " + handler + " must take exactly one parameter "
					+ "(the event's data, or a ServerSentEvent), not " + handler.method().getParameterCount() + ".");
		}
		for (String header : headers) {
			if (header.indexOf(':') <= 0) {
				throw new IllegalStateException("@SseListener " + handler + " header '" + header
						+ "' is not 'Name: value'.");
			}
		}
	}

	/**
	 * The service the listener belongs to.
	 * @return the service name
	 */
	public String service() {
		return this.handler.service();
	}

}
