package io.farine.outbox;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Creates the outbox's and the inbox's tables at start when they are absent. Two instances
 * starting at once may race on {@code CREATE ... IF NOT EXISTS} (PostgreSQL can fail the loser
 * on its catalog's unique index); the loser then finds the table there and goes on.
 */
final class Tables {

	private Tables() {
	}

	/**
	 * Creates the outbox table unless it exists, and adds to one an earlier version made the
	 * columns it lacks (every row such a table holds was published as mandatory).
	 * @param jdbc the database
	 * @param table the outbox table
	 */
	static void createOutbox(JdbcClient jdbc, String table) {
		createIfAbsent(jdbc, table, "CREATE TABLE IF NOT EXISTS " + table
				+ " (id BIGSERIAL PRIMARY KEY, publisher TEXT NOT NULL, service TEXT NOT NULL, exchange TEXT NOT NULL, "
				+ "routing_key TEXT NOT NULL, message_id TEXT NOT NULL, persistent BOOLEAN NOT NULL, headers TEXT, "
				+ "expires_at TIMESTAMPTZ, body BYTEA NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now(), "
				+ "mandatory BOOLEAN NOT NULL DEFAULT true)",
				"CREATE INDEX IF NOT EXISTS " + table.replace('.', '_') + "_publisher ON " + table + " (publisher, id)");
		jdbc.sql("ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS mandatory BOOLEAN NOT NULL DEFAULT true").update();
	}

	/**
	 * Runs the DDL of a table unless the table exists.
	 * @param jdbc the database
	 * @param table the table the statements create
	 * @param statements {@code CREATE ... IF NOT EXISTS} statements
	 */
	static void createIfAbsent(JdbcClient jdbc, String table, String... statements) {
		try {
			for (String statement : statements) {
				jdbc.sql(statement).update();
			}
		}
		catch (RuntimeException ex) {
			if (jdbc.sql("SELECT to_regclass(?)").param(table).query().singleValue() == null) {
				throw ex;
			}
		}
	}

}
