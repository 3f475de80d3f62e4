package io.farine.amqp;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The message a {@link Consume} handler is processing, for handlers that need its headers and
 * properties or settle it themselves. Declare it as a parameter next to the body.
 * <p>
 * A handler that calls neither {@link #ack()} nor {@link #reject()} has its message acknowledged
 * when it returns. A rejected message is dead-lettered, never dropped.
 */
public interface FarineMessage {

	/**
	 * The raw body.
	 * @return the body bytes
	 */
	byte[] body();

	/**
	 * The AMQP headers.
	 * @return an unmodifiable map
	 */
	Map<String, Object> headers();

	/**
	 * The routing key the message was published with.
	 * @return the routing key
	 */
	String routingKey();

	/**
	 * The exchange the message was published to.
	 * @return the exchange name, empty for the default exchange
	 */
	String exchange();

	/**
	 * The AMQP {@code correlation_id} property.
	 * @return the correlation id, or null
	 */
	@Nullable String correlationId();

	/**
	 * The AMQP {@code reply_to} property.
	 * @return the reply-to address, or null
	 */
	@Nullable String replyTo();

	/**
	 * The AMQP {@code message_id} property.
	 * @return the message id, or null
	 */
	@Nullable String messageId();

	/**
	 * Whether the broker delivered this message before (it was not acknowledged then).
	 * @return true if redelivered
	 */
	boolean redelivered();

	/**
	 * Acknowledges the message now; returning or throwing afterwards changes nothing.
	 */
	void ack();

	/**
	 * Rejects the message now: it goes to the dead-letter queue with the reason "rejected by handler".
	 */
	void reject();

	/**
	 * Gives the message back to the queue for another delivery.
	 */
	void requeue();

}
