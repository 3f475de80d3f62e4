package io.farine.outbox;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The outbox rows the broker refused for a reason sending again cannot fix (no queue takes them,
 * their headers do not fit in a frame): moved, in the relay's transaction, to a table of their own
 * with the reason and the time, so that the rows stored after them go on. They stay there until
 * someone looks at them; docs/database.md shows how to send one again.
 */
final class ParkedRows {

	private static final Log logger = LogFactory.getLog(ParkedRows.class);

	private final JdbcClient jdbc;

	private final String outbox;

	private final String table;

	private final AtomicLong parked = new AtomicLong();

	ParkedRows(JdbcClient jdbc, String outbox, String table) {
		this.jdbc = jdbc;
		this.outbox = outbox;
		this.table = JdbcOutbox.checkedTableName(table, "outbox_parked_table");
	}

	/** The DDL: the outbox's columns, the reason and when it was parked; also in docs/database.md. */
	void createTable() {
		Tables.createIfAbsent(this.jdbc, this.table, "CREATE TABLE IF NOT EXISTS " + this.table
				+ " (id BIGINT PRIMARY KEY, publisher TEXT NOT NULL, service TEXT NOT NULL, exchange TEXT NOT NULL, "
				+ "routing_key TEXT NOT NULL, message_id TEXT NOT NULL, persistent BOOLEAN NOT NULL, headers TEXT, "
				+ "expires_at TIMESTAMPTZ, body BYTEA NOT NULL, created_at TIMESTAMPTZ NOT NULL, "
				+ "mandatory BOOLEAN NOT NULL DEFAULT true, reason TEXT NOT NULL, "
				+ "parked_at TIMESTAMPTZ NOT NULL DEFAULT now())");
	}

	/**
	 * Moves a row of the outbox here, in the caller's transaction; the caller deletes it from the
	 * outbox with the rows it sent.
	 * @param id the row
	 * @param messageId its message id, for the log line
	 * @param publisher its publisher, for the log line
	 * @param reason why the broker refused it
	 */
	void park(long id, String messageId, String publisher, String reason) {
		this.jdbc.sql("INSERT INTO " + this.table + " (id, publisher, service, exchange, routing_key, message_id, "
				+ "persistent, headers, expires_at, body, created_at, mandatory, reason) SELECT id, publisher, service, "
				+ "exchange, routing_key, message_id, persistent, headers, expires_at, body, created_at, mandatory, ? FROM "
				+ this.outbox + " WHERE id = ? ON CONFLICT (id) DO NOTHING")
			.params(reason, id)
			.update();
		this.parked.incrementAndGet();
		logger.warn("Parked outbox message " + messageId + " of " + publisher + " in " + this.table + ": " + reason
				+ ". The messages after it go on; see README (Database) to send it again.");
	}

	/**
	 * How many rows this relay parked.
	 * @return the count since start
	 */
	long parked() {
		return this.parked.get();
	}

	String table() {
		return this.table;
	}

}
