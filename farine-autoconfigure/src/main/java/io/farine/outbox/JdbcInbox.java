package io.farine.outbox;

import io.farine.amqp.Inbox;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The inbox of idempotent consumers: one row per consumer and message id, written in the
 * handler's transaction, so it exists exactly when the handler's work committed. Creates its
 * table at start if it is absent.
 */
public final class JdbcInbox implements Inbox {

	private final JdbcClient jdbc;

	private final String table;

	/**
	 * Creates the inbox, and its table if absent.
	 * @param jdbc the application's database
	 * @param table the inbox table, {@code farine_inbox} unless {@code inbox_table} names another
	 */
	public JdbcInbox(JdbcClient jdbc, String table) {
		this.jdbc = jdbc;
		this.table = JdbcOutbox.checkedTableName(table, "inbox_table");
		Tables.createIfAbsent(jdbc, this.table, "CREATE TABLE IF NOT EXISTS " + this.table + " (consumer TEXT NOT NULL, "
				+ "message_id TEXT NOT NULL, processed_at TIMESTAMPTZ NOT NULL DEFAULT now(), "
				+ "PRIMARY KEY (consumer, message_id))");
	}

	@Override
	public boolean firstDelivery(String consumer, String messageId) {
		if (!TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalStateException("The inbox records message " + messageId + " of " + consumer
					+ " outside a transaction: it would not roll back with the handler's work");
		}
		return this.jdbc.sql("INSERT INTO " + this.table + " (consumer, message_id) VALUES (?, ?) ON CONFLICT DO NOTHING")
			.params(consumer, messageId)
			.update() == 1;
	}

}
