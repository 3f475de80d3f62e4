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
