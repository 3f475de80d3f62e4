package io.farine.outbox;

import java.sql.Timestamp;
import java.time.Instant;

import javax.sql.DataSource;

import io.farine.amqp.Inbox;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The inbox of idempotent consumers: one row per consumer and message id, written in the
 * handler's transaction, so it exists exactly when the handler's work committed. Creates its
 * table at start if it is absent; {@link InboxPurge} deletes the rows older than
 * {@code inbox_retention}.
 */
final class JdbcInbox implements Inbox {

	private final DataSource dataSource;

	private final JdbcClient jdbc;

	private final String table;

	/**
	 * Creates the inbox, and its table if absent.
	 * @param dataSource the application's database
	 * @param table the inbox table, {@code farine_inbox} unless {@code inbox_table} names another
	 */
	JdbcInbox(DataSource dataSource, String table) {
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

	/**
	 * Deletes one batch of rows recorded before a time, in a transaction of its own, reading the
	 * table from a position on: each batch goes on where the previous one stopped, so that a purge
	 * reads the table once instead of stepping again over the rows it deleted (they stay until
	 * PostgreSQL vacuums the table).
	 * @param before rows recorded earlier go
	 * @param after the physical position ({@code ctid}) the batch starts after, {@code (0,0)} at first
	 * @param limit the most rows deleted
	 * @return how many rows went, and the position of the last
	 */
	PurgedBatch purge(Instant before, String after, int limit) {
		return this.jdbc.sql("WITH batch AS (SELECT ctid FROM " + this.table + " WHERE ctid > ?::tid AND processed_at < ? "
				+ "LIMIT ?), gone AS (DELETE FROM " + this.table + " WHERE ctid IN (SELECT ctid FROM batch) RETURNING ctid) "
				+ "SELECT count(*) AS rows, (SELECT ctid FROM gone ORDER BY ctid DESC LIMIT 1)::text AS last FROM gone")
			.params(after, Timestamp.from(before), limit)
			.query((rs, n) -> new PurgedBatch(rs.getInt("rows"), (rs.getString("last") != null) ? rs.getString("last") : after))
			.single();
	}

	String table() {
		return this.table;
	}

	/**
	 * One batch of a purge.
	 * @param rows how many rows went
	 * @param last the position of the last, where the next batch starts
	 */
	record PurgedBatch(int rows, String last) {
	}

}
