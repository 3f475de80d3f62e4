package io.farine.chaos;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/**
 * The service's database on the machine's PostgreSQL, {@code farine_chaos}, read directly (not
 * through the proxy the service uses): dropped before a run (the sample creates it), counted
 * during and after, kept afterwards for a look. Each call opens its own connection, so a
 * PostgreSQL restart costs one failed reading, not a broken reader.
 */
final class RunDatabase {

	static final String NAME = "farine_chaos";

	private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";

	private RunDatabase() {
	}

	/** Drops the database an earlier run left, with the sessions still using it. */
	static void drop() throws SQLException {
		try (Connection connection = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
				Statement statement = connection.createStatement()) {
			statement.execute("DROP DATABASE IF EXISTS " + NAME + " WITH (FORCE)");
		}
	}

	/**
	 * Rows in a table.
	 * @return the count, or 0 when the table does not exist (the parking table, before farine has one)
	 */
	static long rows(String table) throws SQLException {
		try (Connection connection = connect();
				PreparedStatement exists = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
			exists.setString(1, table);
			try (ResultSet found = exists.executeQuery()) {
				found.next();
				if (!found.getBoolean(1)) {
					return 0;
				}
			}
			try (Statement statement = connection.createStatement();
					ResultSet count = statement.executeQuery("SELECT count(*) FROM " + table)) {
				count.next();
				return count.getLong(1);
			}
		}
	}

	/** The user names in table {@code users}. */
	static Set<String> names() throws SQLException {
		Set<String> names = new HashSet<>();
		try (Connection connection = connect(); Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("SELECT name FROM users")) {
			while (rows.next()) {
				names.add(rows.getString(1));
			}
		}
		return names;
	}

	private static Connection connect() throws SQLException {
		DriverManager.setLoginTimeout(5);
		return DriverManager.getConnection(SERVER + NAME, "postgres", "");
	}

}
