package io.farine.service;

import java.lang.reflect.Field;
import java.util.Objects;

/**
 * A {@code @Publish} field found on a service bean: where its publisher sends.
 * <p>
 * Not part of farine's API: public because autoconfigure discovers it and amqp makes its publisher.
 *
 * @param service the service the bean belongs to
 * @param field the annotated field
 * @param exchange the exchange, placeholders resolved
 * @param routingKey the default routing key, placeholders resolved
 * @param mandatory whether a message no queue receives is an error
 */
public record PublishEndpoint(String service, Field field, String exchange, String routingKey, boolean mandatory) {

	public PublishEndpoint {
		Objects.requireNonNull(service, "service");
		requireText(exchange, "exchange", field);
		requireText(routingKey, "routingKey", field);
	}

	static void requireText(String value, String attribute, Object member) {
		if (value == null || value.isBlank()) {
			throw new IllegalStateException(member + ": " + attribute + " resolved to an empty value");
		}
	}

}
