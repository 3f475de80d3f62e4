package io.farine.outbox;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import io.farine.test.Postgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay's query of a publisher's next rows, planned as PostgreSQL plans it once a backlog has
 * arrived in a table analyzed while empty (a database of its own on the local PostgreSQL): it walks
 * the {@code (publisher, id)} index in order, instead of reading and sorting all the publisher's
 * rows for each batch, which made a drain slow down as the square of its backlog.
 */
class DrainPlanIntegrationTests {

	private static Postgres database;

	@BeforeAll
	static void createDatabase() throws Exception {
		database = new Postgres("drain_plan");
	}

	@AfterAll
	static void dropDatabase() throws Exception {
		database.close();
	}

	@Test
	void aBacklogInATableAnalyzedEmptyIsReadThroughThePublisherIndexWithoutSorting() throws Exception {
		try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
			JdbcClient jdbc = JdbcClient.create(new SingleConnectionDataSource(connection, true));
			Tables.createOutbox(jdbc, "farine_outbox");
			statement.execute("ANALYZE farine_outbox");
			statement.execute("INSERT INTO farine_outbox (publisher, service, exchange, routing_key, message_id, "
					+ "persistent, body) SELECT 'p' || (g % 4), 's', 'e', 'k', md5(g::text), true, "
					+ "convert_to('{}', 'UTF8') FROM generate_series(1, 20000) g");
			connection.setAutoCommit(false);
			// the plan a prepared statement keeps for the life of its connection
			statement.execute("SET LOCAL plan_cache_mode = force_generic_plan");
			PublisherBatches.orderedByIndex(jdbc);
			statement.execute("PREPARE next_rows(text, bigint) AS "
					+ PublisherBatches.nextRows("farine_outbox").replaceFirst("\\?", "\\$1").replaceFirst("\\?", "\\$2"));
			StringBuilder plan = new StringBuilder();
			try (ResultSet rows = statement.executeQuery("EXPLAIN EXECUTE next_rows('p1', 0)")) {
				while (rows.next()) {
					plan.append(rows.getString(1)).append('\n');
				}
			}
			connection.rollback();
			assertThat(plan.toString()).contains("Index Scan using farine_outbox_publisher").doesNotContain("Sort");
		}
	}

}
