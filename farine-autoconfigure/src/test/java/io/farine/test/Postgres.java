package io.farine.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh database on the local PostgreSQL (127.0.0.1:5432, user postgres, trust), created for
 * one test class and dropped when it closes.
 */
public final class Postgres implements AutoCloseable {

	public static final String HOST = "127.0.0.1";

	public static final int PORT = 5432;

	public static final String USER = "postgres";

	private final String name;

	public Postgres(String prefix) throws SQLException {
		this.name = (prefix + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
		execute("CREATE DATABASE " + this.name);
	}

	public String name() {
		return this.name;
	}

	public String url() {
		return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + this.name;
	}

	/** A connection to this database, for checks made beside the application. */
	public Connection connect() throws SQLException {
		return DriverManager.getConnection(url(), USER, "");
	}

	/** Runs a query returning one number. */
	public long count(String sql) throws SQLException {
		try (Connection connection = connect(); Statement statement = connection.createStatement();
				var rows = statement.executeQuery(sql)) {
			rows.next();
			return rows.getLong(1);
		}
	}

	@Override
	public void close() throws SQLException {
		execute("DROP DATABASE IF EXISTS " + this.name + " WITH (FORCE)");
	}

	private static void execute(String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/postgres",
				USER, ""); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

}
