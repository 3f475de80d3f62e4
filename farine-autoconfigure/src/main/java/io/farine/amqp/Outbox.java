package io.farine.amqp;

/**
 * Where a {@link Publisher} puts a message published inside a transaction instead of sending
 * it: a store that commits or rolls back with the transaction and sends the message once it has
 * committed; and where a message goes that could not be sent because the broker is unreachable.
 * Implemented by farine's JDBC outbox when the application has a DataSource.
 * <p>
 * Not part of farine's API: public because the outbox package implements it, so that amqp needs no
 * JDBC.
 */
public interface Outbox {

	/**
	 * Stores a message in the current transaction, if it is one of the outbox's database.
	 * @param message the message
	 * @return {@code true} if it was stored and will be sent after the commit; {@code false} when
	 * no transaction of the outbox's database is active (none, or another database's), and the
	 * caller sends it itself
	 */
	boolean storeInTransaction(OutboundMessage message);

	/**
	 * Stores a message the broker could not take because it is unreachable, in a transaction of
	 * its own, to be sent once the broker is back.
	 * @param message the message
	 */
	void store(OutboundMessage message);

}
