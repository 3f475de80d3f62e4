package io.farine.amqp;

/**
 * Remembers which messages an idempotent consumer ({@code @Consume(idempotent = true)}) has
 * handled, in the handler's transaction: a message redelivered after its handler committed is
 * recognised and not handled again. Implemented by farine's JDBC inbox.
 * <p>
 * Not part of farine's API: public because the outbox package implements it, so that amqp needs no
 * JDBC.
 */
public interface Inbox {

	/**
	 * Records a message as handled by a consumer, in the current transaction.
	 * @param consumer the consumer's queue, or {@code <service>.<method>} for a broadcast consumer
	 * @param messageId the message's {@code message_id}
	 * @return {@code true} the first time; {@code false} if it was handled already
	 * @throws IllegalStateException if no transaction is active: the record would not roll back
	 * with the handler's work
	 */
	boolean firstDelivery(String consumer, String messageId);

}
