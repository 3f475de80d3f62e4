package io.farine.outbox;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import com.rabbitmq.client.AMQP;
import io.farine.amqp.Consume;
import io.farine.amqp.FarineMessage;
import io.farine.service.FarineService;
import io.farine.test.Postgres;
import io.farine.test.Rabbit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The inbox of idempotent consumers over time, against the local PostgreSQL (a database of its
 * own) and RabbitMQ: rows older than {@code inbox_retention} are purged, in batches, by a task
 * the application runs; a broadcast consumer keeps its rows under its service and method, so a
 * restarted instance knows what it handled.
 */
class InboxIntegrationTests {

	private static Postgres database;

	@BeforeAll
	static void createDatabase() throws Exception {
		database = new Postgres("inbox");
	}

	@AfterAll
	static void dropDatabase() throws Exception {
		database.close();
	}

	private static DataSource dataSource() {
		return new SimpleDriverDataSource(new org.postgresql.Driver(), database.url(), Postgres.USER, "");
	}

	/** Rows of a consumer, handled that long ago. */
	private static void insert(String table, String consumer, int rows, Duration ago) throws Exception {
		try (Connection connection = database.connect(); PreparedStatement insert = connection
			.prepareStatement("INSERT INTO " + table + " (consumer, message_id, processed_at) VALUES (?, ?, ?)")) {
			for (int i = 0; i < rows; i++) {
				insert.setString(1, consumer);
				insert.setString(2, consumer + "-" + i);
				insert.setTimestamp(3, Timestamp.from(Instant.now().minus(ago)));
				insert.addBatch();
			}
			insert.executeBatch();
		}
	}

	@Test
	void aPurgeDeletesOnlyTheRowsOlderThanTheRetentionInBatches() throws Exception {
		JdbcInbox inbox = new JdbcInbox(dataSource(), "purged_inbox");
		insert("purged_inbox", "old", 25, Duration.ofDays(8));
		insert("purged_inbox", "recent", 7, Duration.ofDays(6));
		insert("purged_inbox", "older", 3, Duration.ofDays(30));

		InboxPurge.Purged purged = new InboxPurge(inbox, Duration.ofDays(7), 10).purge();

		assertThat(purged.rows()).isEqualTo(28);
		assertThat(purged.batches()).isEqualTo(3);
		assertThat(database.count("SELECT count(*) FROM purged_inbox")).isEqualTo(7);
		assertThat(database.count("SELECT count(*) FROM purged_inbox WHERE consumer = 'recent'")).isEqualTo(7);
		assertThat(new InboxPurge(inbox, Duration.ofDays(7), 10).purge()).isEqualTo(new InboxPurge.Purged(0, 1));
	}

	@Test
	void aRunningApplicationPurgesItsInboxOnASchedule() throws Exception {
		String service = Rabbit.unique("inbox-purge");
		try (Rabbit rabbit = new Rabbit(); ConfigurableApplicationContext context = run(Idempotent.class, service,
				"scheduled_inbox", "--farine.defaults.inbox_retention=3s")) {
			insert("scheduled_inbox", "old", 5, Duration.ofHours(1));
			insert("scheduled_inbox", "recent", 2, Duration.ofDays(-1));
			await().atMost(Duration.ofSeconds(30))
				.until(() -> database.count("SELECT count(*) FROM scheduled_inbox WHERE consumer = 'old'") == 0);
			assertThat(database.count("SELECT count(*) FROM scheduled_inbox WHERE consumer = 'recent'")).isEqualTo(2);
			context.close();
			rabbit.deleteQuietly(service + ".once", service + ".once.dlq");
			rabbit.deleteExchangeQuietly(service);
		}
	}

	@Test
	void aRestartedBroadcastConsumerDoesNotHandleAgainAMessageItHandledBeforeTheRestart() throws Exception {
		String service = Rabbit.unique("inbox-bcast");
		String handledTwice = "0123456789abcdef0123456789abcde1";
		String fresh = "0123456789abcdef0123456789abcde2";
		try (Rabbit rabbit = new Rabbit()) {
			try (ConfigurableApplicationContext first = run(Idempotent.class, service, "farine_inbox",
					"--farine.services." + service + ".type=broadcast")) {
				publish(rabbit, service, handledTwice);
				Once once = first.getBean(Once.class);
				await().atMost(Duration.ofSeconds(30)).until(() -> once.seen.contains(handledTwice));
			}
			try (ConfigurableApplicationContext second = run(Idempotent.class, service, "farine_inbox",
					"--farine.services." + service + ".type=broadcast")) {
				publish(rabbit, service, handledTwice);
				publish(rabbit, service, fresh);
				Once once = second.getBean(Once.class);
				// one queue, in order: once the fresh message is handled, the first was taken
				await().atMost(Duration.ofSeconds(30)).until(() -> once.seen.contains(fresh));
				assertThat(once.seen).containsExactly(fresh);
			}
			finally {
				rabbit.deleteExchangeQuietly(service);
				rabbit.deleteQuietly(service + ".once.dlq");
			}
		}
		assertThat(database.count("SELECT count(*) FROM farine_inbox WHERE consumer = '" + service + ".on'"))
			.isEqualTo(2);
	}

	private static void publish(Rabbit rabbit, String exchange, String messageId) throws Exception {
		rabbit.channel()
			.basicPublish(exchange, "once", new AMQP.BasicProperties.Builder().contentType("application/json")
				.messageId(messageId)
				.build(), "{}".getBytes(StandardCharsets.UTF_8));
	}

	private static ConfigurableApplicationContext run(Class<?> app, String service, String inboxTable,
			String... more) {
		List<String> args = new java.util.ArrayList<>(List.of("--farine.defaults.amqp_uri=" + Rabbit.URI,
				"--spring.datasource.url=" + database.url(), "--spring.datasource.username=" + Postgres.USER,
				"--t.service=" + service, "--farine.defaults.inbox_table=" + inboxTable));
		args.addAll(List.of(more));
		return new SpringApplicationBuilder(app).web(WebApplicationType.NONE).run(args.toArray(String[]::new));
	}

	@FarineService("${t.service}")
	static class Once {

		final List<String> seen = new CopyOnWriteArrayList<>();

		@Consume(exchange = "${t.service}", routingKey = "once", queue = "${t.service}.once", idempotent = true)
		void on(FarineMessage message) {
			this.seen.add(message.messageId());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(Once.class)
	static class Idempotent {

	}

}
