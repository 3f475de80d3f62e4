package io.farine.jdbc;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.rabbitmq.client.AMQP;
import com.zaxxer.hikari.HikariDataSource;
import io.farine.amqp.Consume;
import io.farine.amqp.FarineMessage;
import io.farine.amqp.Publish;
import io.farine.amqp.PublishOptions;
import io.farine.amqp.Publisher;
import io.farine.outbox.PrimaryRelay;
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
import org.springframework.data.annotation.Id;
import org.springframework.data.jdbc.repository.config.EnableJdbcRepositories;
import org.springframework.data.relational.core.mapping.Table;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two services in one process, against the local PostgreSQL and RabbitMQ: one on
 * {@code [DEFAULT]}'s database, one whose section names a database of its own. Each handler's
 * transaction, the repository and {@code JdbcTemplate} writes inside it, and the messages it
 * publishes (through the outbox) are on its service's database; a failure rolls back there; the
 * relays send both databases' outboxes; an idempotent consumer's inbox is its service's database.
 */
class ServiceDatabasesIntegrationTests {

	private static final String MAIN = Rabbit.unique("dbmain");

	private static final String OWN = Rabbit.unique("dbown");

	private static Postgres primary;

	private static Postgres other;

	private static Rabbit rabbit;

	private static ConfigurableApplicationContext context;

	@BeforeAll
	static void start() throws Exception {
		primary = new Postgres("primary");
		other = new Postgres("other");
		for (Postgres database : new Postgres[] { primary, other }) {
			try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
				statement.execute("CREATE TABLE users (id serial PRIMARY KEY, name text UNIQUE NOT NULL, via text)");
			}
		}
		rabbit = new Rabbit();
		context = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.run("--farine.defaults.amqp_uri=" + Rabbit.URI, "--farine.defaults.db_connector=postgres",
					"--farine.defaults.db_host=" + Postgres.HOST, "--farine.defaults.db_name=" + primary.name(),
					"--farine.defaults.db_user=" + Postgres.USER, "--farine.defaults.db_password=",
					"--farine.defaults.consume_retries=0", "--farine.services." + OWN + ".db_name=" + other.name(),
					"--farine.services." + OWN + ".db_max_conn=3", "--test.main=" + MAIN, "--test.own=" + OWN);
	}

	@AfterAll
	static void stop() throws Exception {
		if (context != null) {
			ServiceDataSource routing = context.getBean(ServiceDataSource.class);
			context.close();
			// every pool closed with the context, the primary's and the service's
			assertThat(routing.getResolvedDataSources().values()).hasSize(1)
				.allSatisfy((pool) -> assertThat(((HikariDataSource) pool).isClosed()).isTrue());
			assertThat(((HikariDataSource) routing.getResolvedDefaultDataSource()).isClosed()).isTrue();
		}
		rabbit.deleteQuietly(MAIN, MAIN + ".dlq", MAIN + ".done", MAIN + ".done.dlq", OWN, OWN + ".dlq", OWN + ".done",
				OWN + ".done.dlq", OWN + ".once", OWN + ".once.dlq");
		rabbit.deleteExchangeQuietly(MAIN, OWN);
		rabbit.close();
		other.close();
		primary.close();
	}

	private static long rows(Postgres database, String name) throws Exception {
		return database.count("SELECT count(*) FROM users WHERE name = '" + name + "'");
	}

	@Test
	void eachServicesHandlerWritesAndPublishesThroughItsOwnDatabase() throws Exception {
		Main main = context.getBean(Main.class);
		Own own = context.getBean(Own.class);
		long sentByPrimaryRelay = PrimaryRelay.sent(context);
		main.out.publish(Map.of("name", "ada"));
		own.out.publish(Map.of("name", "bob"));
		assertThat(main.done.poll(10, TimeUnit.SECONDS)).isEqualTo("ada");
		assertThat(own.done.poll(10, TimeUnit.SECONDS)).isEqualTo("bob");
		// the repository's row and the JdbcTemplate's, each in its service's database only
		assertThat(rows(primary, "ada")).isEqualTo(1);
		assertThat(rows(primary, "ada-template")).isEqualTo(1);
		assertThat(rows(other, "ada")).isZero();
		assertThat(rows(other, "bob")).isEqualTo(1);
		assertThat(rows(other, "bob-template")).isEqualTo(1);
		assertThat(rows(primary, "bob")).isZero();
		// the events went through each database's outbox, and its relay emptied it
		assertThat(other.count("SELECT count(*) FROM pg_class WHERE relname = 'farine_outbox'")).isEqualTo(1);
		await().until(() -> other.count("SELECT count(*) FROM farine_outbox") == 0
				&& primary.count("SELECT count(*) FROM farine_outbox") == 0);
		assertThat(PrimaryRelay.sent(context)).isGreaterThan(sentByPrimaryRelay);
	}

	@Test
	void aHandlerThatThrowsRollsBackInItsServicesDatabase() throws Exception {
		Own own = context.getBean(Own.class);
		own.out.publish(Map.of("name", "fail-carol"));
		rabbit.take(OWN + ".dlq");
		assertThat(rows(other, "fail-carol")).isZero();
		assertThat(rows(primary, "fail-carol")).isZero();
		// the event it published in the transaction went with it: the next one arrives, not it
		own.out.publish(Map.of("name", "dave"));
		assertThat(own.done.poll(10, TimeUnit.SECONDS)).isEqualTo("dave");
		assertThat(own.done).isEmpty();
		assertThat(rows(other, "dave")).isEqualTo(1);
	}

	@Test
	void anIdempotentConsumersInboxIsInItsServicesDatabase() throws Exception {
		Own own = context.getBean(Own.class);
		for (String id : new String[] { "m-1", "m-1", "m-2" }) {
			rabbit.channel()
				.basicPublish(OWN, OWN + ".once", new AMQP.BasicProperties.Builder().contentType("application/json")
					.messageId(id)
					.build(), "{}".getBytes(StandardCharsets.UTF_8));
		}
		await().until(() -> own.once.contains("m-2"));
		assertThat(own.once).containsExactly("m-1", "m-2");
		String consumer = "SELECT count(*) FROM farine_inbox WHERE consumer = '" + OWN + ".once'";
		// the handler saw m-2 inside its transaction: its inbox row commits after that
		await().untilAsserted(() -> assertThat(other.count(consumer)).isEqualTo(2));
		assertThat(primary.count(consumer)).isZero();
	}

	@Test
	void theApplicationsDataSourceIsThePrimaryOutsideHandlers() {
		JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
		assertThat(jdbc.queryForObject("SELECT current_database()", String.class)).isEqualTo(primary.name());
		assertThat(context.getBean(DataSource.class)).isInstanceOf(ServiceDataSource.class);
	}

	@Table("users")
	record User(@Id Long id, String name, String via) {
	}

	interface Users extends ListCrudRepository<User, Long> {

	}

	/** What both services do, each on its own exchange and database. */
	abstract static class Writer {

		final BlockingQueue<String> done = new LinkedBlockingQueue<>();

		private final Users users;

		private final JdbcTemplate jdbc;

		Writer(Users users, JdbcTemplate jdbc) {
			this.users = users;
			this.jdbc = jdbc;
		}

		abstract Publisher out();

		void write(Map<String, String> body, String service) {
			String name = body.get("name");
			this.users.save(new User(null, name, "repository"));
			this.jdbc.update("INSERT INTO users (name, via) VALUES (?, 'template')", name + "-template");
			out().publish(Map.of("name", name), PublishOptions.DEFAULTS.withRoutingKey(service + ".done"));
			if (name.startsWith("fail")) {
				throw new IllegalStateException("refused " + name);
			}
		}

	}

	@Component
	@FarineService("${test.main}")
	static class Main extends Writer {

		@Publish
		Publisher out;

		Main(Users users, JdbcTemplate jdbc) {
			super(users, jdbc);
		}

		@Override
		Publisher out() {
			return this.out;
		}

		@Consume
		void create(Map<String, String> body) {
			write(body, MAIN);
		}

		@Consume(routingKey = "${test.main}.done")
		void done(Map<String, String> body) {
			this.done.add(body.get("name"));
		}

	}

	@Component
	@FarineService("${test.own}")
	static class Own extends Writer {

		final List<String> once = new CopyOnWriteArrayList<>();

		@Publish
		Publisher out;

		Own(Users users, JdbcTemplate jdbc) {
			super(users, jdbc);
		}

		@Override
		Publisher out() {
			return this.out;
		}

		@Consume
		void create(Map<String, String> body) {
			write(body, OWN);
		}

		@Consume(routingKey = "${test.own}.done")
		void done(Map<String, String> body) {
			this.done.add(body.get("name"));
		}

		@Consume(routingKey = "${test.own}.once", idempotent = true)
		void once(FarineMessage message) {
			this.once.add(message.messageId());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableJdbcRepositories(considerNestedRepositories = true)
	@Import({ Main.class, Own.class })
	static class App {

	}

}
