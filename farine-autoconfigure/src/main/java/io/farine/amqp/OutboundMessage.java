package io.farine.amqp;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import org.jspecify.annotations.Nullable;

import io.farine.config.ServiceSettings;

/**
 * A message a {@link Publisher} sends, complete and independent of any connection: what an
 * {@link Outbox} keeps until it can be sent, and what {@link Broker#publish(OutboundMessage, boolean)}
 * sends. A deadline rather than a TTL, so a message that waited keeps only the time it has left.
 * <p>
 * Not part of farine's API: public because the outbox relay and the cluster runtime publish it.
 *
 * @param service the service whose broker and settings send it
 * @param exchange the exchange
 * @param routingKey the routing key
 * @param messageId its {@code message_id}, 32 hex digits
 * @param persistent delivery mode 2 (persistent) or 1
 * @param headers its AMQP headers
 * @param expiresAt when it stops being worth delivering, if ever
 * @param body the JSON body
 * @param mandatory whether a message no queue receives is an error
 * ({@link UnroutableMessageException}), or is confirmed and counted as unroutable
 */
public record OutboundMessage(String service, String exchange, String routingKey, String messageId,
		boolean persistent, Map<String, Object> headers, @Nullable Instant expiresAt, byte[] body,
		boolean mandatory) {

	/**
	 * A mandatory message.
	 * @param service the service whose broker and settings send it
	 * @param exchange the exchange
	 * @param routingKey the routing key
	 * @param messageId its {@code message_id}, 32 hex digits
	 * @param persistent delivery mode 2 (persistent) or 1
	 * @param headers its AMQP headers
	 * @param expiresAt when it stops being worth delivering, if ever
	 * @param body the JSON body
	 */
	public OutboundMessage(String service, String exchange, String routingKey, String messageId, boolean persistent,
			Map<String, Object> headers, @Nullable Instant expiresAt, byte[] body) {
		this(service, exchange, routingKey, messageId, persistent, headers, expiresAt, body, true);
	}

	/**
	 * Whether its deadline has passed.
	 * @param now the current time
	 * @return {@code true} if it expired
	 */
	public boolean expired(Instant now) {
		return this.expiresAt != null && !now.isBefore(this.expiresAt);
	}

	/** What is left of its TTL, or {@code null} when it has none. */
	@Nullable Duration ttl() {
		return (this.expiresAt != null) ? Duration.between(Instant.now(), this.expiresAt) : null;
	}

	/**
	 * The AMQP properties it is published with, mandatory and confirmed.
	 * @param settings the settings of its service: how the broker reads expirations
	 * @param ttl how long it may wait in a queue, or {@code null} for ever
	 */
	AMQP.BasicProperties properties(ServiceSettings settings, @Nullable Duration ttl) {
		AMQP.BasicProperties.Builder properties = new AMQP.BasicProperties.Builder().contentType(Wire.CONTENT_TYPE)
			.contentEncoding(Wire.CONTENT_ENCODING)
			.messageId(this.messageId)
			.deliveryMode(this.persistent ? 2 : 1);
		if (!this.headers.isEmpty()) {
			properties.headers(this.headers);
		}
		if (ttl != null) {
			properties.expiration(settings.expiration(ttl));
		}
		return properties.build();
	}

}
