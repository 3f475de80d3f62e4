package io.farine.outbox;

import javax.sql.DataSource;

import io.farine.amqp.Inbox;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The inbox of idempotent consumers: one row per consumer and message id, written in the
 * handler's transaction, so it exists exactly when the handler's work committed. Creates its
 * table at start if it is absent.
 */
public final class JdbcInbox implements Inbox {

	private final DataSource dataSource;

	private final JdbcClient jdbc;

	private final String table;

	/**
	 * Creates the inbox, and its table if absent.
	 * @param dataSource the application's database
	 * @param table the inbox table, {@code farine_inbox} unless {@code inbox_table} names another
	 */
	public JdbcInbox(DataSource dataSource, String table) {
		this.dataSource = dataSource;
		this.jdbc = JdbcClient.create(dataSource);
		this.table = JdbcOutbox.checkedTableName(table, "inbox_table");
		Tables.createIfAbsent(this.jdbc, this.table, "CREATE TABLE IF NOT EXISTS " + this.table + " (consumer TEXT NOT NULL, "
				+ "message_id TEXT NOT NULL, processed_at TIMESTAMPTZ NOT NULL DEFAULT now(), "
				+ "PRIMARY KEY (consumer, message_id))");
	}

	@Override
	public boolean firstDelivery(String consumer, String messageId) {
		if (!DataSourceTransaction.activeOn(this.dataSource)) {
			throw new IllegalStateException("The inbox records message " + messageId + " of " + consumer
					+ " outside a transaction of the inbox's database: it would not roll back with the handler's "
					+ "work. Give the application one transaction manager, of the DataSource farine uses");
		}
		return this.jdbc.sql("INSERT INTO " + this.table + " (consumer, message_id) VALUES (?, ?) ON CONFLICT DO NOTHING")
			.params(consumer, messageId)
			.update() == 1;
	}

}
