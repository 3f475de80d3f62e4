package io.farine.service;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A {@code @Consume} method found on a service bean: what it consumes and how its arguments are
 * made.
 * <p>
 * Not part of farine's API: public because autoconfigure discovers it and amqp runs it.
 *
 * @param handler the method to call
 * @param exchange the exchange to bind to, placeholders resolved
 * @param routingKey the binding key, placeholders resolved
 * @param queue the queue to consume, placeholders resolved
 * @param bodyIndex the index of the body parameter, or -1 if the method takes none
 * @param messageIndex the index of the {@code FarineMessage} parameter, or -1 if the method takes none
 * @param idempotent whether each message id is handled once (the inbox)
 * @param arguments makes the method's arguments from a delivery, chosen at discovery
 */
public record ConsumeEndpoint(HandlerMethod handler, String exchange, String routingKey, String queue, int bodyIndex,
		int messageIndex, boolean idempotent, ArgumentResolver<?> arguments) {

	public ConsumeEndpoint {
		Objects.requireNonNull(handler, "handler");
		Objects.requireNonNull(arguments, "arguments");
		PublishEndpoint.requireText(exchange, "exchange", handler);
		PublishEndpoint.requireText(routingKey, "routingKey", handler);
		PublishEndpoint.requireText(queue, "queue", handler);
	}

	/**
	 * The service the consumer belongs to.
	 * @return the service name
	 */
	public String service() {
		return this.handler.service();
	}

	/**
	 * The declared body type, or {@code null} when the method takes no body.
	 * @return the body parameter's raw class
	 */
	public @Nullable Class<?> bodyType() {
		return (this.bodyIndex < 0) ? null : this.handler.method().getParameterTypes()[this.bodyIndex];
	}

}
