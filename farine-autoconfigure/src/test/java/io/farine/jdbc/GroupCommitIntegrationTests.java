package io.farine.jdbc;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import io.farine.amqp.Consume;
import io.farine.amqp.FarineMessage;
import io.farine.amqp.Publish;
import io.farine.amqp.Publisher;
import io.farine.service.FarineService;
import io.farine.test.Postgres;
import io.farine.test.Rabbit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Group commit ({@code db_batch_size}) against the local PostgreSQL (a database of its own) and
 * RabbitMQ. Each test fills its consumer's queue before the application starts, so that the
 * consumer finds a batch waiting: the handler records the transaction it ran in
 * ({@code txid_current()}), and whether in a savepoint (the row it inserts then has the
 * subtransaction's id as {@code xmin}). A burst commits in fewer transactions than messages,
 * without savepoints, and every message is acknowledged after the commit; a failing handler rolls
 * its batch back, the others are handled again in savepoints, and it goes the retry and
 * dead-letter way; a body that cannot be read leaves the batch without rolling it back; a commit
 * that fails acknowledges nothing; outbox rows of a batch are sent; a lone message does not wait
 * for a full batch; an idempotent consumer's inbox row rolls back with its handler.
 */
class GroupCommitIntegrationTests {

	private static Postgres database;

	private static Rabbit rabbit;

	private String service;

	private ConfigurableApplicationContext context;

	@BeforeAll
	static void createDatabase() throws Exception {
		database = new Postgres("groupcommit");
		rabbit = new Rabbit();
		try (var connection = database.connect(); var statement = connection.createStatement()) {
			statement.execute("CREATE TABLE handled (service text NOT NULL, name text NOT NULL, txid bigint NOT NULL)");
			statement.execute("CREATE TABLE parent (id text PRIMARY KEY)");
			// checked at the commit: a row naming no parent fails the transaction's commit, not its insert
			statement.execute("CREATE TABLE child (name text NOT NULL, parent text NOT NULL REFERENCES parent (id) "
					+ "DEFERRABLE INITIALLY DEFERRED)");
		}
	}

	@AfterAll
	static void dropDatabase() throws Exception {
		rabbit.close();
		database.close();
	}

	@BeforeEach
	void name() {
		this.service = Rabbit.unique("batch");
	}

	@AfterEach
	void stop() {
		if (this.context != null) {
			this.context.close();
		}
		rabbit.deleteQuietly(queue(), queue() + ".dlq", this.service + ".echo", this.service + ".once",
				this.service + ".once.dlq");
		rabbit.deleteExchangeQuietly(this.service);
	}

	private String queue() {
		return this.service + ".in";
	}

	/** Puts messages on the consumer's queue before the application starts, so that they wait in one backlog. */
	private void fill(String... names) throws Exception {
		rabbit.channel().queueDeclare(queue(), true, false, false, null);
		for (String name : names) {
			rabbit.publish("", queue(), new AMQP.BasicProperties.Builder().contentType("application/json").build(),
					("{\"name\": \"" + name + "\"}").getBytes(StandardCharsets.UTF_8));
		}
	}

	private Batched start() {
		this.context = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.run("--farine.defaults.amqp_uri=" + Rabbit.URI, "--spring.datasource.url=" + database.url(),
					"--spring.datasource.username=" + Postgres.USER, "--t.service=" + this.service,
					"--farine.services." + this.service + ".db_batch_size=50",
					"--farine.services." + this.service + ".db_batch_window=100ms",
					"--farine.services." + this.service + ".consume_retries=1",
					"--farine.services." + this.service + ".consume_retry_delay=10ms");
		return this.context.getBean(Batched.class);
	}

	private long rows(String name) throws Exception {
		return database.count("SELECT count(*) FROM handled WHERE service = '" + this.service + "' AND name = '"
				+ name + "'");
	}

	/** Stops the application, which gives back what it did not acknowledge, and counts what is left. */
	private int leftAfterStop() throws Exception {
		this.context.close();
		this.context = null;
		return rabbit.channel().queueDeclarePassive(queue()).getMessageCount();
	}

	@Test
	void aBurstCommitsInFewerTransactionsThanMessagesAndEveryMessageIsAcknowledged() throws Exception {
		String[] names = new String[120];
		for (int i = 0; i < names.length; i++) {
			names[i] = "m-" + i;
		}
		fill(names);
		Batched batched = start();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> database.count("SELECT count(*) FROM handled WHERE service = '" + this.service + "'") == 120);
		assertThat(database.count("SELECT count(DISTINCT txid) FROM handled WHERE service = '" + this.service + "'"))
			.isLessThanOrEqualTo(12);
		assertThat(batched.calls).hasSize(120);
		// no failure, no savepoint: two round trips a message saved
		assertThat(batched.calls).extracting(Call::savepoint).containsOnly(false);
		assertThat(leftAfterStop()).isZero();
	}

	@Test
	void aFailingHandlerRollsItsBatchBackTheOthersAreHandledAgainInSavepointsAndItIsRetriedThenDeadLettered()
			throws Exception {
		fill("ok-1", "fail-1", "ok-2", "fail-2", "ok-3");
		Batched batched = start();
		List<String> dead = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			GetResponse message = rabbit.take(queue() + ".dlq");
			// one try in the batch, then the usual path: one attempt and one retry (consume_retries = 1)
			assertThat(message.getProps().getHeaders()).containsEntry("x-attempts", 2);
			dead.add(new String(message.getBody(), StandardCharsets.UTF_8));
		}
		assertThat(dead).anyMatch((body) -> body.contains("fail-1")).anyMatch((body) -> body.contains("fail-2"));
		assertThat(rows("ok-1")).isEqualTo(1);
		assertThat(rows("ok-2")).isEqualTo(1);
		assertThat(rows("ok-3")).isEqualTo(1);
		assertThat(rows("fail-1")).isZero();
		assertThat(rows("fail-2")).isZero();
		// the first try, without savepoints, stopped at fail-1 and was rolled back
		long first = batched.calls("fail-1").get(0).txid();
		assertThat(batched.calls("ok-1").get(0)).extracting(Call::txid, Call::savepoint).containsExactly(first, false);
		assertThat(batched.calls("fail-1").get(0).savepoint()).isFalse();
		assertThat(batched.calls("fail-1")).hasSize(3);
		// then the others, each in a savepoint of one new transaction: fail-2 rolled back to its own
		long second = batched.calls("ok-1").get(1).txid();
		assertThat(second).isNotEqualTo(first);
		for (String name : List.of("ok-1", "ok-2", "fail-2", "ok-3")) {
			Call inSavepoint = batched.calls(name).get(name.equals("ok-1") ? 1 : 0);
			assertThat(inSavepoint).extracting(Call::txid, Call::savepoint).containsExactly(second, true);
		}
		assertThat(batched.calls("ok-1")).hasSize(2);
		assertThat(batched.calls("ok-2")).hasSize(1);
		assertThat(batched.calls("fail-2")).hasSize(3);
		assertThat(leftAfterStop()).isZero();
	}

	@Test
	void aBodyThatCannotBeReadLeavesTheBatchWithoutRollingItBack() throws Exception {
		fill("ok-1");
		rabbit.publish("", queue(), new AMQP.BasicProperties.Builder().contentType("application/json").build(),
				"{not json".getBytes(StandardCharsets.UTF_8));
		fill("ok-2");
		Batched batched = start();
		GetResponse dead = rabbit.take(queue() + ".dlq");
		assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).isEqualTo("{not json");
		await().atMost(Duration.ofSeconds(30)).until(() -> rows("ok-1") == 1 && rows("ok-2") == 1);
		assertThat(batched.calls("ok-1")).extracting(Call::savepoint).containsExactly(false);
		assertThat(batched.calls("ok-2")).extracting(Call::savepoint).containsExactly(false);
		assertThat(leftAfterStop()).isZero();
	}

	@Test
	void aMessageItsHandlerAcknowledgedInATryRolledBackHasItsWorkDoneAgain() throws Exception {
		fill("ack-1", "fail-1");
		Batched batched = start();
		rabbit.take(queue() + ".dlq");
		await().atMost(Duration.ofSeconds(30)).until(() -> rows("ack-1") == 1);
		assertThat(batched.calls("ack-1")).extracting(Call::savepoint).containsExactly(false, true);
		assertThat(leftAfterStop()).isZero();
		assertThat(rows("ack-1")).isEqualTo(1);
	}

	@Test
	void aCommitThatFailsAcknowledgesNothingAndEveryMessageComesBack() throws Exception {
		fill("c-1", "orphan-1", "c-2");
		Batched batched = start();
		GetResponse dead = rabbit.take(queue() + ".dlq");
		assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).contains("orphan-1");
		await().atMost(Duration.ofSeconds(30)).until(() -> rows("c-1") == 1 && rows("c-2") == 1);
		long failed = batched.calls("orphan-1").get(0).txid();
		for (String name : List.of("c-1", "orphan-1", "c-2")) {
			List<Call> calls = batched.calls(name);
			// first in the batch whose commit failed, then redelivered and handled on its own
			assertThat(calls.get(0).txid()).isEqualTo(failed);
			assertThat(calls.get(0).redelivered()).isFalse();
			assertThat(calls.get(1).redelivered()).isTrue();
			assertThat(calls.get(1).txid()).isNotEqualTo(failed);
		}
		assertThat(batched.calls("c-1")).hasSize(2);
		assertThat(batched.calls("c-2")).hasSize(2);
		assertThat(rows("orphan-1")).isZero();
		assertThat(database.count("SELECT count(*) FROM child")).isZero();
		assertThat(leftAfterStop()).isZero();
	}

	@Test
	void theOutboxRowsOfABatchAreSentOnceItCommitted() throws Exception {
		rabbit.channel().exchangeDeclare(this.service, "direct", true);
		rabbit.channel().queueDeclare(this.service + ".echo", true, false, false, null);
		rabbit.channel().queueBind(this.service + ".echo", this.service, "echo");
		fill("out-1", "out-2", "out-3");
		Batched batched = start();
		List<String> echoed = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			echoed.add(new String(rabbit.take(this.service + ".echo").getBody(), StandardCharsets.UTF_8));
		}
		assertThat(echoed).anyMatch((body) -> body.contains("out-1"))
			.anyMatch((body) -> body.contains("out-2"))
			.anyMatch((body) -> body.contains("out-3"));
		assertThat(batched.calls).extracting(Call::txid).containsOnly(batched.calls.get(0).txid());
		await().atMost(Duration.ofSeconds(10)).until(() -> database.count("SELECT count(*) FROM farine_outbox") == 0);
		assertThat(leftAfterStop()).isZero();
	}

	@Test
	void aLoneMessageIsHandledWithoutWaitingForAFullBatch() throws Exception {
		Batched batched = start();
		rabbit.publish(this.service, "in", new AMQP.BasicProperties.Builder().contentType("application/json").build(),
				"{\"name\": \"alone\"}".getBytes(StandardCharsets.UTF_8));
		await().atMost(Duration.ofSeconds(30)).until(() -> rows("alone") == 1);
		assertThat(batched.calls("alone")).hasSize(1);
		assertThat(leftAfterStop()).isZero();
	}

	@Test
	void anIdempotentConsumersInboxRowRollsBackWithItsHandlerInTheBatch() throws Exception {
		rabbit.channel().queueDeclare(this.service + ".once", true, false, false, null);
		for (String[] message : List.of(new String[] { "a", "once-a" }, new String[] { "b", "flaky-b" },
				new String[] { "a", "once-a" })) {
			rabbit.publish("", this.service + ".once", new AMQP.BasicProperties.Builder()
				.contentType("application/json")
				.messageId("0123456789abcdef0123456789abcde" + message[0])
				.build(), ("{\"name\": \"" + message[1] + "\"}").getBytes(StandardCharsets.UTF_8));
		}
		Batched batched = start();
		// the flaky message failed in the batch: had its inbox row stayed, its retry would be skipped
		await().atMost(Duration.ofSeconds(30)).until(() -> rows("flaky-b") == 1);
		assertThat(batched.calls("flaky-b")).hasSize(2);
		// once-a ran before flaky-b in the first try, rolled back, then again in a savepoint; the
		// duplicate in the same batch found that row, in the same transaction
		assertThat(rows("once-a")).isEqualTo(1);
		assertThat(batched.calls("once-a")).extracting(Call::savepoint).containsExactly(false, true);
		this.context.close();
		this.context = null;
		assertThat(rabbit.channel().queueDeclarePassive(this.service + ".once").getMessageCount()).isZero();
	}

	record Call(String name, long txid, boolean redelivered, boolean savepoint) {
	}

	@FarineService("${t.service}")
	static class Batched {

		final List<Call> calls = new CopyOnWriteArrayList<>();

		private final JdbcClient jdbc;

		private final String service;

		@Publish(routingKey = "echo")
		Publisher echo;

		Batched(JdbcClient jdbc, @Value("${t.service}") String service) {
			this.jdbc = jdbc;
			this.service = service;
		}

		List<Call> calls(String name) {
			return this.calls.stream().filter((call) -> call.name().equals(name)).toList();
		}

		/** The names of the flaky messages that failed once already. */
		private final java.util.Set<String> failedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();

		@Consume(exchange = "${t.service}", routingKey = "once", queue = "${t.service}.once", idempotent = true)
		void once(Map<String, String> body, FarineMessage message) {
			String name = body.get("name");
			on(body, message);
			if (name.startsWith("flaky") && this.failedOnce.add(name)) {
				throw new IllegalStateException("failing once on " + name);
			}
		}

		@Consume(exchange = "${t.service}", routingKey = "in", queue = "${t.service}.in")
		void on(Map<String, String> body, FarineMessage message) {
			String name = body.get("name");
			if (name.startsWith("ack")) {
				message.ack();
			}
			long txid = this.jdbc.sql("SELECT txid_current()").query(Long.class).single();
			// a row written in a savepoint carries the subtransaction's id, not the transaction's
			long xmin = this.jdbc.sql("INSERT INTO handled (service, name, txid) VALUES (?, ?, ?) "
					+ "RETURNING xmin::text::bigint")
				.params(this.service, name, txid)
				.query(Long.class)
				.single();
			this.calls.add(new Call(name, txid, message.redelivered(), xmin != txid % 4294967296L));
			if (name.startsWith("fail")) {
				throw new IllegalStateException("failing on " + name);
			}
			if (name.startsWith("orphan")) {
				this.jdbc.sql("INSERT INTO child (name, parent) VALUES (?, 'nobody')").params(name).update();
			}
			if (name.startsWith("out")) {
				this.echo.publish(Map.of("name", name));
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(Batched.class)
	static class App {

	}

}
