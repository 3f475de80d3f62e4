package io.farine.outbox;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.farine.amqp.Consume;
import io.farine.amqp.Publish;
import io.farine.amqp.Publisher;
import io.farine.service.FarineService;
import io.farine.test.Postgres;
import io.farine.test.Rabbit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The outbox and its database, against the local PostgreSQL and RabbitMQ: only a transaction of
 * the outbox's own DataSource holds a message (one of another database does not, as its rollback
 * would leave the row behind), and the relay's locks are the table's, however its name is spelled.
 */
class OutboxDataSourceIntegrationTests {

	private static Postgres outboxDatabase;

	private static Postgres otherDatabase;

	@BeforeAll
	static void createDatabases() throws Exception {
		outboxDatabase = new Postgres("outbox_own");
		otherDatabase = new Postgres("outbox_other");
	}

	@AfterAll
	static void dropDatabases() throws Exception {
		outboxDatabase.close();
		otherDatabase.close();
	}

	@Test
	void aPublishInATransactionOfAnotherDatabaseIsSentDirectlyAndLeavesNoRowWhenThatTransactionRollsBack()
			throws Exception {
		String service = Rabbit.unique("outbox-ds");
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TwoDatabases.class)
			.web(WebApplicationType.NONE)
			.run("--farine.defaults.amqp_uri=" + Rabbit.URI, "--t.service=" + service,
					"--t.own=" + outboxDatabase.url(), "--t.other=" + otherDatabase.url(),
					"--farine.defaults.publish_timeout=5")) {
			Events events = context.getBean(Events.class);
			TransactionTemplate other = new TransactionTemplate(
					context.getBean("otherTransactions", PlatformTransactionManager.class));
			JdbcTemplate ownJdbc = new JdbcTemplate(context.getBean("dataSource", DataSource.class));
			other.executeWithoutResult((status) -> {
				events.out.publish(Map.of("n", 1));
				// the outbox's DataSource used under the other database's transaction: bound to
				// the thread, but auto-committing each statement
				ownJdbc.queryForObject("SELECT 1", Integer.class);
				events.out.publish(Map.of("n", 2));
				status.setRollbackOnly();
			});
			long rowsAfterTheRollback = outboxDatabase.count("SELECT count(*) FROM farine_outbox");
			// the outbox's own transactions still hold their messages: a rollback sends nothing
			TransactionTemplate own = new TransactionTemplate(
					context.getBean("transactionManager", PlatformTransactionManager.class));
			own.executeWithoutResult((status) -> {
				events.out.publish(Map.of("n", 3));
				status.setRollbackOnly();
			});
			own.executeWithoutResult((status) -> events.out.publish(Map.of("n", 4)));
			await().atMost(Duration.ofSeconds(30)).until(() -> events.seen.size() >= 3);
			assertThat(events.seen).containsExactlyInAnyOrder(1, 2, 4);
			assertThat(rowsAfterTheRollback).as("outbox rows left by the other database's rollback").isZero();
			assertThat(context.getBean(OutboxRelay.class).sent()).as("messages the relay sent").isEqualTo(1);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> outboxDatabase.count("SELECT count(*) FROM farine_outbox") == 0);
		}
	}

	@Test
	void relaysNamingTheTableWithAndWithoutItsSchemaNeverHoldTheSamePublisherAtOnce() throws Exception {
		DataSource first = new SimpleDriverDataSource(new org.postgresql.Driver(), outboxDatabase.url(), Postgres.USER,
				"");
		DataSource second = new SimpleDriverDataSource(new org.postgresql.Driver(), outboxDatabase.url(),
				Postgres.USER, "");
		new JdbcTemplate(first).execute("CREATE TABLE relay_locks (id BIGSERIAL PRIMARY KEY)");
		OutboxTable plain = new OutboxTable(first, "relay_locks");
		OutboxTable qualified = new OutboxTable(second, "public.relay_locks");
		CountDownLatch held = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<Boolean> holding = CompletableFuture.supplyAsync(() -> plain.transactions().execute((status) -> {
			boolean locked = plain.tryLock("orders:billing");
			held.countDown();
			try {
				release.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return locked;
		}));
		assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
		Boolean samePublisher = qualified.transactions().execute((status) -> qualified.tryLock("orders:billing"));
		Boolean otherPublisher = qualified.transactions().execute((status) -> qualified.tryLock("orders:shipping"));
		release.countDown();
		assertThat(holding.get(30, TimeUnit.SECONDS)).as("the first relay's lock").isTrue();
		assertThat(samePublisher).as("the second relay's lock on the publisher the first holds").isFalse();
		assertThat(otherPublisher).as("the second relay's lock on another publisher").isTrue();
		Boolean afterwards = qualified.transactions().execute((status) -> qualified.tryLock("orders:billing"));
		assertThat(afterwards).as("the second relay's lock once the first committed").isTrue();
	}

	@FarineService("${t.service}")
	static class Events {

		final List<Integer> seen = new CopyOnWriteArrayList<>();

		@Publish(exchange = "${t.service}", routingKey = "events")
		Publisher out;

		@Consume(exchange = "${t.service}", routingKey = "events", queue = "${t.service}.events")
		void on(Map<String, Integer> body) {
			this.seen.add(body.get("n"));
		}

	}

	/** Two databases, each with its transaction manager: the outbox's is the primary DataSource. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(Events.class)
	static class TwoDatabases {

		@Bean
		@Primary
		DataSource dataSource(@Value("${t.own}") String url) {
			return DataSourceBuilder.create().url(url).username(Postgres.USER).password("").build();
		}

		@Bean
		DataSource otherDataSource(@Value("${t.other}") String url) {
			return DataSourceBuilder.create().url(url).username(Postgres.USER).password("").build();
		}

		@Bean
		@Primary
		PlatformTransactionManager transactionManager(DataSource dataSource) {
			return new JdbcTransactionManager(dataSource);
		}

		@Bean
		PlatformTransactionManager otherTransactions(@Qualifier("otherDataSource") DataSource other) {
			return new JdbcTransactionManager(other);
		}

	}

}
