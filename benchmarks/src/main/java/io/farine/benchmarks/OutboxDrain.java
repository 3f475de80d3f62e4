package io.farine.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.rabbitmq.client.Channel;

import io.farine.outbox.DrainedRelay;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * Scenario 8: how fast the outbox relay drains a backlog it finds in its table, as after a broker
 * outage: N rows (10,000, 100,000 and 1,000,000 unless {@code -Dbench.drain.rows=} names others)
 * across {@value #PUBLISHERS} publishers (one service's messages to {@value #PUBLISHERS}
 * exchanges), written with one {@code INSERT ... SELECT generate_series}, then timed from its
 * commit until it has sent (confirmed and deleted) all of them. Rows per second
 * that stay flat as N grows mean a drain linear in the backlog. The exchanges route to one
 * transient queue that keeps its newest {@value #QUEUE_LENGTH} messages, so the broker's memory
 * does not grow with N. Then, unless {@code -Dbench.drain.two-relays=0}, 100,000 rows drained by two
 * instances of the application (two relays). A point stops after {@code -Dbench.drain.max-seconds} (600) and reports the
 * rate so far. A database of its own on the local PostgreSQL.
 */
final class OutboxDrain {

	static final String SCENARIO = "outbox-drain";

	static final int PUBLISHERS = 4;

	static final int QUEUE_LENGTH = 10_000;

	private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";

	private static final String SERVICE = "bench-drain";

	private OutboxDrain() {
	}

	static void run(Results results) throws Exception {
		int[] sizes = Arrays.stream(System.getProperty("bench.drain.rows", "10000,100000,1000000").split(","))
			.map(String::trim)
			.mapToInt(Integer::parseInt)
			.toArray();
		long maxNanos = Long.getLong("bench.drain.max-seconds", 600) * 1_000_000_000L;
		String exchange = Contexts.unique("bench-drain");
		String database = exchange.replace('-', '_');
		String queue = exchange + ".drained";
		declare(exchange, queue);
		execute(POSTGRES + "postgres", "CREATE DATABASE " + database);
		String[] properties = { "spring.datasource.url=" + POSTGRES + database, "spring.datasource.username=postgres" };
		try (ConfigurableApplicationContext context = Contexts.farine(DrainApp.class, properties)) {
			List<DrainedRelay> relays = new ArrayList<>(List.of(new DrainedRelay(context)));
			for (int rows : sizes) {
				if (!drain(results, database, exchange, rows, relays, "farine", maxNanos)) {
					break;
				}
			}
			int twoRelays = Integer.getInteger("bench.drain.two-relays", 100_000);
			if (twoRelays > 0) {
				// a second instance of the application: two relays share the backlog, each publisher held by one at a time
				try (ConfigurableApplicationContext second = Contexts.farine(DrainApp.class, properties)) {
					relays.add(new DrainedRelay(second));
					drain(results, database, exchange, twoRelays, relays, "farine (2 relays)", maxNanos);
				}
			}
		}
		finally {
			Broker.delete(queue);
			for (int i = 0; i < PUBLISHERS; i++) {
				Broker.deleteExchange(exchange + "-" + i);
			}
			execute(POSTGRES + "postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
		}
	}

	/**
	 * Writes {@code rows} rows in one transaction and times the relays until they have sent them.
	 * @return whether they sent every row before the deadline
	 */
	private static boolean drain(Results results, String database, String exchange, int rows, List<DrainedRelay> relays,
			String subject, long maxNanos) throws Exception {
		long sentBefore;
		long start;
		try (Connection connection = DriverManager.getConnection(POSTGRES + database, "postgres", "")) {
			connection.setAutoCommit(false);
			fill(connection, exchange, rows);
			// the relays see none of the rows before this commit
			sentBefore = sent(relays);
			start = System.nanoTime();
			connection.commit();
		}
		relays.forEach(DrainedRelay::wake);
		long sent = 0;
		while (sent < rows && System.nanoTime() - start < maxNanos) {
			Thread.sleep(5);
			sent = sent(relays) - sentBefore;
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		double rate = sent / seconds;
		results.add(SCENARIO, subject, "rows_per_s", rows, rate);
		System.out.printf(Locale.ROOT, "[bench] outbox-drain, %s: %,d rows in %.1f s, %,.0f rows/s%s%n", subject, rows,
				seconds, rate, (sent < rows) ? String.format(Locale.ROOT, " (stopped with %,d rows left)", rows - sent) : "");
		return sent >= rows;
	}

	private static long sent(List<DrainedRelay> relays) {
		return relays.stream().mapToLong(DrainedRelay::sent).sum();
	}

	/** The exchanges of the publishers, all bound to one queue that drops its oldest messages. */
	private static void declare(String exchange, String queue) throws Exception {
		try (com.rabbitmq.client.Connection connection = Broker.factory().newConnection("bench-admin");
				Channel channel = connection.createChannel()) {
			channel.queueDeclare(queue, false, false, false, Map.of("x-max-length", QUEUE_LENGTH));
			for (int i = 0; i < PUBLISHERS; i++) {
				channel.exchangeDeclare(exchange + "-" + i, "direct", true);
				channel.queueBind(queue, exchange + "-" + i, "drained");
			}
		}
	}

	/** N rows as the outbox writes them, in one statement, not committed. */
	private static void fill(Connection connection, String exchange, int rows) throws Exception {
		try (Statement statement = connection.createStatement()) {
			statement.execute("INSERT INTO farine_outbox (publisher, service, exchange, routing_key, message_id, "
					+ "persistent, body) SELECT '" + SERVICE + ":" + exchange + "-' || (g % " + PUBLISHERS + "), '"
					+ SERVICE + "', '" + exchange + "-' || (g % " + PUBLISHERS + "), 'drained', md5(g::text), false, "
					+ "convert_to('{\"id\": ' || g || ', \"customer\": \"customer-' || g || '\"}', 'UTF8') "
					+ "FROM generate_series(1, " + rows + ") g");
		}
	}

	private static void execute(String url, String... statements) throws Exception {
		try (Connection connection = DriverManager.getConnection(url, "postgres", "");
				Statement statement = connection.createStatement()) {
			for (String sql : statements) {
				statement.execute(sql);
			}
		}
	}

	/** A farine application with a database and nothing else: its outbox relay. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class DrainApp {

	}

}
