package io.farine.outbox;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import io.farine.amqp.Consume;
import io.farine.service.FarineService;
import io.farine.test.Postgres;
import io.farine.test.Rabbit;
import io.farine.test.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A backlog in the outbox table, against the local PostgreSQL (a database of its own) and
 * RabbitMQ: the relay, which reads a draining backlog after the rows it sent, still sends a row
 * committed late with an id below them; the backlog gauge, PostgreSQL's count of live rows,
 * counts the rows waiting.
 */
class OutboxBacklogIntegrationTests {

	private static Postgres database;

	@BeforeAll
	static void createDatabase() throws Exception {
		database = new Postgres("outbox_backlog");
	}

	@AfterAll
	static void dropDatabase() throws Exception {
		database.close();
	}

	private static ConfigurableApplicationContext run(Class<?> app, String service, String amqpUri, String... more) {
		List<String> args = new java.util.ArrayList<>(List.of("--farine.defaults.amqp_uri=" + amqpUri,
				"--spring.datasource.url=" + database.url(), "--spring.datasource.username=" + Postgres.USER,
				"--t.service=" + service, "--farine.defaults.publish_timeout=5"));
		args.addAll(List.of(more));
		return new SpringApplicationBuilder(app).web(WebApplicationType.NONE).run(args.toArray(String[]::new));
	}

	/** Rows as the outbox writes them: {@code {"n": from}} to {@code {"n": to - 1}}, one publisher. */
	private static String rows(String service, int from, int to) {
		return "INSERT INTO farine_outbox (publisher, service, exchange, routing_key, message_id, persistent, body) "
				+ "SELECT '" + service + ":" + service + "', '" + service + "', '" + service + "', 'events', md5(g::text), "
				+ "true, convert_to('{\"n\": ' || g || '}', 'UTF8') FROM generate_series(" + from + ", " + (to - 1) + ") g";
	}

	@Test
	void aRowCommittedLateWithAnIdBelowTheRowsAlreadySentIsSent() throws Exception {
		String service = Rabbit.unique("backlog");
		try (ConfigurableApplicationContext context = run(App.class, service, Rabbit.URI);
				Connection late = database.connect(); Connection backlog = database.connect()) {
			Events events = context.getBean(Events.class);
			late.setAutoCommit(false);
			try (Statement statement = late.createStatement()) {
				// takes its id now, commits after the rows behind it were sent
				statement.execute(rows(service, -1, 0));
			}
			try (Statement statement = backlog.createStatement()) {
				statement.execute(rows(service, 0, 350));
			}
			context.getBean(OutboxRelay.class).wake();
			await().atMost(Duration.ofSeconds(60)).until(() -> events.seen.size() >= 350);
			late.commit();
			await().atMost(Duration.ofSeconds(30)).until(() -> events.seen.contains(-1));
			assertThat(events.seen.subList(0, 350)).containsExactlyElementsOf(IntStream.range(0, 350).boxed().toList());
			assertThat(events.seen).hasSize(351);
		}
	}

	@Test
	void theBacklogGaugeCountsTheRowsWaitingInTheTable() throws Exception {
		String service = Rabbit.unique("backlog");
		int closed = TcpProxy.freePort();
		try (ConfigurableApplicationContext context = run(NoConsumer.class, service,
				"amqp://guest:guest@127.0.0.1:" + closed,
				"--farine.defaults.auto_declare=false", "--farine.defaults.retry=false")) {
			OutboxRelay relay = context.getBean(OutboxRelay.class);
			long before = relay.backlog();
			try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
				statement.execute(rows(service, 0, 250));
			}
			// the broker cannot be reached: the rows wait, and PostgreSQL's count follows within seconds
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(relay.backlog()).isEqualTo(before + 250));
			assertThat(database.count("SELECT count(*) FROM farine_outbox")).isEqualTo(before + 250);
		}
	}

	@FarineService("${t.service}")
	static class Events {

		final List<Integer> seen = new CopyOnWriteArrayList<>();

		@Consume(exchange = "${t.service}", routingKey = "events", queue = "${t.service}.events")
		void on(Map<String, Integer> body) {
			this.seen.add(body.get("n"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(Events.class)
	static class App {

	}

	/** The outbox and its relay, no consumer: it starts without a broker. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class NoConsumer {

	}

}
