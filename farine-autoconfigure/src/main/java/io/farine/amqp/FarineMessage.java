package io.farine.amqp;

import java.util.Map;
import java.util.Optional;

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
	 * The header in which a farine publisher names its service; other publishers (a Python
	 * farine service, a script) do not set it.
	 */
	String SENDER_SERVICE_HEADER = "x-farine-sender-service";

	/** The header in which a farine publisher names its instance ({@code FarineInstance}). */
	String SENDER_INSTANCE_HEADER = "x-farine-sender-instance";

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

	/**
	 * The service that published the message, when a farine publisher did (from
	 * {@value #SENDER_SERVICE_HEADER}).
	 * @return the sending service, or empty for a message another publisher sent
	 */
	default Optional<String> senderService() {
		return header(SENDER_SERVICE_HEADER);
	}

	/**
	 * The instance that published the message, when a farine publisher did (from
	 * {@value #SENDER_INSTANCE_HEADER}): its {@code FarineInstance} id, the one it registers under.
	 * @return the sending instance, or empty for a message another publisher sent
	 */
	default Optional<String> senderInstance() {
		return header(SENDER_INSTANCE_HEADER);
	}

	private Optional<String> header(String name) {
		Object value = headers().get(name);
		return (value != null) ? Optional.of(value.toString()) : Optional.empty();
	}

}
