package io.farine.samples.database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Creates the sample's PostgreSQL database when it does not exist yet, so the README's run command
 * works against a fresh local PostgreSQL. Runs once the environment (with the DataSource settings
 * farine made from {@code farine.ini}) is ready, before any bean. Only the sample does this: a real
 * service gets its database from whoever runs PostgreSQL.
 */
class DatabaseCreator implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	@Override
	public int getOrder() {
		// after the listener that runs the environment post-processors
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		Environment environment = event.getEnvironment();
		String url = environment.getProperty("spring.datasource.url");
		if (url == null || !url.startsWith("jdbc:postgresql://")) {
			return;
		}
		int slash = url.indexOf('/', "jdbc:postgresql://".length());
		int end = url.indexOf('?', slash);
		String database = url.substring(slash + 1, (end < 0) ? url.length() : end);
		String maintenance = url.substring(0, slash + 1) + "postgres";
		try (Connection connection = DriverManager.getConnection(maintenance,
				environment.getProperty("spring.datasource.username"),
				environment.getProperty("spring.datasource.password", ""));
				PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
			exists.setString(1, database);
			try (ResultSet rows = exists.executeQuery()) {
				if (rows.next()) {
					return;
				}
			}
			try (Statement create = connection.createStatement()) {
				create.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
			}
		}
		catch (SQLException ex) {
			// start-up goes on, and the DataSource reports the database it cannot reach
			org.apache.commons.logging.LogFactory.getLog(DatabaseCreator.class)
				.warn("Could not create database '" + database + "': " + ex.getMessage());
		}
	}

}
