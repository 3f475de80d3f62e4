package io.farine.amqp;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Per-message options of a publish. Immutable: each {@code with...} method returns a copy.
 * <pre>{@code
 * orders.publish(order, PublishOptions.DEFAULTS.withRoutingKey("order.eu").withTtl(Duration.ofSeconds(30)));
 * }</pre>
 *
 * @param routingKey the routing key instead of the publisher's, or {@code null}
 * @param headers extra AMQP headers
 * @param ttl the per-message time-to-live (AMQP {@code expiration}), or {@code null} for none
 * @param persistent whether the message is persistent, or {@code null} for the service's {@code delivery_mode}
 */
public record PublishOptions(@Nullable String routingKey, Map<String, Object> headers, @Nullable Duration ttl,
		@Nullable Boolean persistent) {

	/** No per-message options: the publisher's routing key and the service's delivery mode. */
	public static final PublishOptions DEFAULTS = new PublishOptions(null, Map.of(), null, null);

	public PublishOptions {
		headers = Map.copyOf(headers);
		headers.forEach(AmqpHeaders::check);
		if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
			throw new IllegalArgumentException("ttl must be positive, was " + ttl);
		}
	}

	/**
	 * A copy with another routing key.
	 * @param routingKey the routing key
	 * @return the new options
	 */
	public PublishOptions withRoutingKey(String routingKey) {
		return new PublishOptions(routingKey, this.headers, this.ttl, this.persistent);
	}

	/**
	 * A copy with one more header.
	 * @param name the header name
	 * @param value the header value: a String, Integer, Long, Short, Byte, Double, Float,
	 * BigDecimal, Boolean, Date, byte[], or a List, array or Map of those
	 * @return the new options
	 * @throws IllegalArgumentException naming the header if AMQP cannot carry its value
	 */
	public PublishOptions withHeader(String name, Object value) {
		Map<String, Object> copy = new LinkedHashMap<>(this.headers);
		copy.put(name, value);
		return new PublishOptions(this.routingKey, copy, this.ttl, this.persistent);
	}

	/**
	 * A copy with a time-to-live, after which the broker discards the message if still queued.
	 * @param ttl the time-to-live (millisecond precision)
	 * @return the new options
	 */
	public PublishOptions withTtl(Duration ttl) {
		return new PublishOptions(this.routingKey, this.headers, ttl, this.persistent);
	}

	/**
	 * A copy with explicit persistence.
	 * @param persistent true for delivery mode 2, false for 1
	 * @return the new options
	 */
	public PublishOptions withPersistent(boolean persistent) {
		return new PublishOptions(this.routingKey, this.headers, this.ttl, persistent);
	}

}
