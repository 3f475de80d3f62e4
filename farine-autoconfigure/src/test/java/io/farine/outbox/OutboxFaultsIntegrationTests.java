package io.farine.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.farine.amqp.BrokerConnections;
import io.farine.amqp.Consume;
import io.farine.amqp.Publish;
import io.farine.amqp.Publisher;
import io.farine.config.FarineProperties;
import io.farine.service.FarineService;
import io.farine.service.JsonCodec;
import io.farine.test.Postgres;
import io.farine.test.Rabbit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The outbox relay when the broker refuses a row for good, when nobody listens yet, when a batch
 * would be large, and when the relay itself fails: nothing blocks the rows behind, nothing is
 * lost, and health says what is wrong meanwhile. Against the local PostgreSQL (a database of its
 * own) and RabbitMQ.
 */
class OutboxFaultsIntegrationTests {

	/** docs/database.md's statement that sends a parked row again: it goes back to the outbox, and the relay sends it. */
	static final String RESEND = "WITH parked AS (DELETE FROM farine_outbox_parked WHERE id = ? RETURNING publisher, "
			+ "service, exchange, routing_key, message_id, persistent, headers, expires_at, body, mandatory) "
			+ "INSERT INTO farine_outbox (publisher, service, exchange, routing_key, message_id, persistent, headers, "
			+ "expires_at, body, mandatory) SELECT * FROM parked";

	private static Postgres database;

	private String service;

	@BeforeAll
	static void createDatabase() throws Exception {
		database = new Postgres("outboxfaults");
	}

	@AfterAll
	static void dropDatabase() throws Exception {
		database.close();
	}

	@BeforeEach
	void names() {
		this.service = Rabbit.unique("outboxfaults");
	}

	private ConfigurableApplicationContext run(String... more) {
		List<String> args = new java.util.ArrayList<>(List.of("--farine.defaults.amqp_uri=" + Rabbit.URI,
				"--spring.datasource.url=" + database.url(), "--spring.datasource.username=" + Postgres.USER,
				"--t.service=" + this.service, "--farine.defaults.publish_timeout=5"));
		args.addAll(List.of(more));
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).run(args.toArray(String[]::new));
	}

	@Test
	void aRowNoQueueTakesIsParkedAndTheRowsBehindItGoOnThenReadmesStatementSendsItAgain() throws Exception {
		try (ConfigurableApplicationContext context = run()) {
			Events events = context.getBean(Events.class);
			TransactionTemplate transaction = context.getBean(TransactionTemplate.class);
			transaction.executeWithoutResult((status) -> events.nowhere.publish(Map.of("n", 1)));
			transaction.executeWithoutResult((status) -> events.out.publish(Map.of("n", 2)));
			await().atMost(Duration.ofSeconds(30)).until(() -> events.seen.contains(2));
			await().atMost(Duration.ofSeconds(30))
				.until(() -> database.count("SELECT count(*) FROM farine_outbox_parked") == 1);
			assertThat(database.count("SELECT count(*) FROM farine_outbox")).isZero();
			assertThat(database.count("SELECT count(*) FROM farine_outbox_parked WHERE reason LIKE '%NO_ROUTE%' "
					+ "AND routing_key = 'nowhere'")).isEqualTo(1);
			assertThat(context.getBean(OutboxRelay.class).parked()).isEqualTo(1);
			// a queue for it now, and docs/database.md's statement puts it back in the outbox
			try (Rabbit rabbit = new Rabbit()) {
				rabbit.channel().queueDeclare(this.service + ".nowhere", false, false, true, null);
				rabbit.channel().queueBind(this.service + ".nowhere", this.service, "nowhere");
				try (Connection connection = database.connect();
						PreparedStatement resend = connection.prepareStatement(RESEND)) {
					resend.setLong(1, database.count("SELECT id FROM farine_outbox_parked"));
					assertThat(resend.executeUpdate()).isEqualTo(1);
				}
				context.getBean(OutboxRelay.class).wake();
				assertThat(new String(rabbit.take(this.service + ".nowhere").getBody())).isEqualTo("{\"n\":1}");
			}
			assertThat(database.count("SELECT count(*) FROM farine_outbox_parked")).isZero();
		}
	}

	@Test
	void aRowThatIsNotMandatoryIsSentAndCountedWhenNoQueueTakesIt() throws Exception {
		try (ConfigurableApplicationContext context = run()) {
			Events events = context.getBean(Events.class);
			context.getBean(TransactionTemplate.class)
				.executeWithoutResult((status) -> events.optional.publish(Map.of("n", 1)));
			await().atMost(Duration.ofSeconds(30))
				.until(() -> context.getBean(BrokerConnections.class).unroutablePublishes() == 1);
			await().atMost(Duration.ofSeconds(30)).until(() -> database.count("SELECT count(*) FROM farine_outbox") == 0);
			assertThat(database.count("SELECT count(*) FROM farine_outbox_parked")).isZero();
			assertThat(context.getBean(OutboxRelay.class).sent()).isEqualTo(1);
		}
	}

	@Test
	void aBatchReadsNoMoreBodiesThanItsByteBoundButAlwaysOneRow() throws Exception {
		try (ConfigurableApplicationContext context = run("--farine.outbox.enabled=true")) {
			OutboxRelay relay = context.getBean(OutboxRelay.class);
			relay.stop();
			String publisher = this.service + ":" + this.service;
			int third = (int) (PublisherBatches.BATCH_BYTES / 3) + 1;
			try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
				statement.execute("DELETE FROM farine_outbox");
				for (int i = 0; i < 5; i++) {
					statement.execute("INSERT INTO farine_outbox (publisher, service, exchange, routing_key, message_id, "
							+ "persistent, body) VALUES ('" + publisher + "', '" + this.service + "', '" + this.service
							+ "', 'events', '" + i + "', true, convert_to('{\"n\": " + i + ", \"pad\": \"' || repeat('x', "
							+ third + ") || '\"}', 'UTF8'))");
				}
			}
			JdbcClient jdbc = JdbcClient.create(context.getBean(javax.sql.DataSource.class));
			PublisherBatches batches = new PublisherBatches(context.getBean(OutboxTable.class),
					new ParkedRows(jdbc, "farine_outbox", "farine_outbox_parked"), context.getBean(BrokerConnections.class),
					context.getBean(FarineProperties.class), context.getBean(JsonCodec.class));
			TransactionTemplate transaction = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
			// two bodies of a third of the bound each fit; a third would not
			Boolean more = transaction.execute((status) -> batches.send(publisher));
			assertThat(more).isTrue();
			assertThat(database.count("SELECT count(*) FROM farine_outbox")).isEqualTo(3);
			transaction.execute((status) -> batches.send(publisher));
			transaction.execute((status) -> batches.send(publisher));
			assertThat(database.count("SELECT count(*) FROM farine_outbox")).isZero();
			await().atMost(Duration.ofSeconds(30)).until(() -> context.getBean(Events.class).seen.size() == 5);
		}
	}

	@Test
	void aRelayThatFailsIsDownInHealthAndGoesOnOnceItCan() throws Exception {
		try (ConfigurableApplicationContext context = run()) {
			OutboxHealthIndicator health = context.getBean(OutboxHealthIndicator.class);
			assertThat(health.health().getStatus()).isEqualTo(Status.UP);
			try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
				statement.execute("ALTER TABLE farine_outbox RENAME TO farine_outbox_away");
				await().atMost(Duration.ofSeconds(30)).until(() -> health.health().getStatus().equals(Status.DOWN));
				assertThat(health.health().getDetails().get("error").toString()).contains("farine_outbox");
				statement.execute("ALTER TABLE farine_outbox_away RENAME TO farine_outbox");
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> health.health().getStatus().equals(Status.UP));
			Events events = context.getBean(Events.class);
			context.getBean(TransactionTemplate.class).executeWithoutResult((status) -> events.out.publish(Map.of("n", 7)));
			await().atMost(Duration.ofSeconds(30)).until(() -> events.seen.contains(7));
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(Events.class)
	static class App {

		@Bean
		TransactionTemplate transactionTemplate(PlatformTransactionManager manager) {
			return new TransactionTemplate(manager);
		}

	}

	@FarineService("${t.service}")
	static class Events {

		final List<Integer> seen = new CopyOnWriteArrayList<>();

		@Publish(exchange = "${t.service}", routingKey = "events")
		Publisher out;

		@Publish(exchange = "${t.service}", routingKey = "nowhere")
		Publisher nowhere;

		@Publish(exchange = "${t.service}", routingKey = "nobody-yet", mandatory = false)
		Publisher optional;

		@Consume(exchange = "${t.service}", routingKey = "events", queue = "${t.service}.events")
		void on(Map<String, Object> body) {
			this.seen.add(((Number) body.get("n")).intValue());
		}

	}

}
