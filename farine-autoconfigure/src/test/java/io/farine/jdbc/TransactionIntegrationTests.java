package io.farine.jdbc;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import io.farine.amqp.Consume;
import io.farine.amqp.Publish;
import io.farine.amqp.Publisher;
import io.farine.execute.Execute;
import io.farine.rpc.RpcClientFactory;
import io.farine.rpc.RpcMethod;
import io.farine.rpc.RpcOperations;
import io.farine.rpc.RpcRemoteException;
import io.farine.service.FarineService;
import io.farine.test.Postgres;
import io.farine.test.Rabbit;
import io.farine.test.SseServer;
import io.farine.sse.SseListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

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
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Each handler call in a transaction, against the local PostgreSQL (a database of its own) and
 * RabbitMQ: a consumer commits then acks, or rolls back, retries and dead-letters; RPC methods and
 * {@code @Execute} runs commit or roll back; a repository stream is read inside the transaction;
 * {@code db_transaction = false} and a method's own {@code @Transactional} are honoured.
 */
class TransactionIntegrationTests {

	private static final String SERVICE = Rabbit.unique("tx");

	private static final String PLAIN = Rabbit.unique("plain");

	private static final String CREATE = Rabbit.unique("create");

	private static Postgres database;

	private static Rabbit rabbit;

	private static ConfigurableApplicationContext context;

	private static RpcOperations rpc;

	private static SseServer events;

	@BeforeAll
	static void start() throws Exception {
		database = new Postgres("transactions");
		rabbit = new Rabbit();
		events = new SseServer().holdOpen(true)
			.event("id: 1", "data: {\"name\": \"sse-fail\"}")
			.event("id: 2", "data: {\"name\": \"sse-ok\"}");
		context = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.run("--farine.defaults.amqp_uri=" + Rabbit.URI, "--farine.defaults.db_connector=postgres",
					"--farine.defaults.db_host=" + Postgres.HOST, "--farine.defaults.db_name=" + database.name(),
					"--farine.defaults.db_user=" + Postgres.USER, "--farine.defaults.db_password=",
					"--farine.defaults.consume_retries=2", "--farine.defaults.consume_retry_delay=10ms",
					"--farine.services." + PLAIN + ".db_transaction=false", "--test.service=" + SERVICE,
					"--test.plain=" + PLAIN, "--test.create=" + CREATE, "--test.sse=" + events.url(), "--spring.sql.init.mode=always",
					"--spring.sql.init.schema-locations=classpath:jdbc/schema.sql");
		rpc = context.getBean(RpcClientFactory.class).operations(SERVICE);
	}

	@AfterAll
	static void stop() throws Exception {
		if (context != null) {
			context.close();
		}
		events.close();
		rabbit.deleteQuietly(CREATE, CREATE + ".dlq", SERVICE + "__insert", SERVICE + "__insertThenFail",
				SERVICE + "__readOnlyInsert", SERVICE + "__names", SERVICE + "__active", SERVICE + "__count",
				PLAIN + "__active");
		rabbit.deleteExchangeQuietly(SERVICE, PLAIN);
		rabbit.close();
		database.close();
	}

	private static long rows(String name) throws Exception {
		return database.count("SELECT count(*) FROM users WHERE name = '" + name + "'");
	}

	@Test
	void aConsumerThatReturnsCommitsThenAcknowledges() throws Exception {
		Accounts accounts = context.getBean(Accounts.class);
		accounts.send("ada", CREATE);
		assertThat(accounts.created().poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("ada");
		// the handler signals from inside its transaction: the commit follows it
		await().untilAsserted(() -> assertThat(rows("ada")).isEqualTo(1));
		await().untilAsserted(
				() -> assertThat(rabbit.channel().queueDeclarePassive(CREATE).getMessageCount()).isZero());
	}

	@Test
	void aConsumerThatThrowsRollsBackEachAttemptThenDeadLetters() throws Exception {
		Accounts accounts = context.getBean(Accounts.class);
		accounts.send("fail-bob", CREATE);
		GetResponse dead = rabbit.take(CREATE + ".dlq");
		assertThat(dead.getProps().getHeaders()).containsEntry("x-attempts", 3);
		assertThat(accounts.attempts()).isGreaterThanOrEqualTo(3);
		assertThat(rows("fail-bob")).isZero();
	}

	@Test
	void anRpcMethodCommitsBeforeItReplies() throws Exception {
		assertThat(rpc.call("insert", "carol").asLong()).isPositive();
		assertThat(rows("carol")).isEqualTo(1);
		// the SSE listener of this application inserts its row whenever its stream delivers: between two counts
		long before = database.count("SELECT count(*) FROM users");
		long counted = rpc.call("count").asLong();
		assertThat(counted).isBetween(before, database.count("SELECT count(*) FROM users"));
	}

	@Test
	void anRpcMethodThatThrowsRollsBackAndRepliesWithTheError() throws Exception {
		assertThatThrownBy(() -> rpc.call("insertThenFail", "dave")).isInstanceOf(RpcRemoteException.class)
			.hasMessageContaining("refused dave");
		assertThat(rows("dave")).isZero();
	}

	@Test
	void aStreamedRepositoryResultIsReadInsideTheTransaction() throws Exception {
		rpc.call("insert", "erin");
		rpc.call("insert", "frank");
		List<JsonNode> names;
		try (Stream<JsonNode> stream = rpc.stream("names", JsonNode.class)) {
			names = stream.toList();
		}
		assertThat(names).extracting((node) -> node.get("name").asString()).contains("erin", "frank");
		assertThat(names).allSatisfy((node) -> assertThat(node.get("inTransaction").asBoolean()).isTrue());
	}

	@Test
	void aMethodsOwnTransactionalIsHonouredAsWritten() throws Exception {
		assertThatThrownBy(() -> rpc.call("readOnlyInsert", "gina")).isInstanceOf(RpcRemoteException.class)
			.hasMessageContaining("read-only");
		assertThat(rows("gina")).isZero();
	}

	@Test
	void dbTransactionFalseRunsTheServiceWithoutATransaction() {
		assertThat(rpc.call("active").asBoolean()).isTrue();
		assertThat(context.getBean(RpcClientFactory.class).operations(PLAIN).call("active").asBoolean()).isFalse();
	}

	@Test
	void anExecuteRunCommits() throws Exception {
		await().until(() -> rows("executed") == 1);
		assertThat(context.getBean(Accounts.class).executeInTransaction()).isTrue();
	}

	@Test
	void anSseEventThatIsHandledCommitsAndOneThatThrowsRollsBack() throws Exception {
		await().until(() -> rows("sse-ok") == 1);
		Accounts accounts = context.getBean(Accounts.class);
		assertThat(accounts.sseFailures()).isEqualTo(1);
		assertThat(accounts.sseInTransaction()).isTrue();
		assertThat(rows("sse-fail")).isZero();
	}

	@Table("users")
	record User(@Id Long id, String name) {
	}

	interface Users extends ListCrudRepository<User, Long> {

		Stream<User> streamAllBy();

		Optional<User> findByName(String name);

	}

	@Component
	@FarineService("${test.service}")
	static class Accounts {

		final BlockingQueue<String> created = new LinkedBlockingQueue<>();

		final java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();

		volatile boolean executeInTransaction;

		volatile boolean sseInTransaction;

		final java.util.concurrent.atomic.AtomicInteger sseFailures = new java.util.concurrent.atomic.AtomicInteger();

		private final Users users;

		@Publish
		Publisher out;

		Accounts(Users users) {
			this.users = users;
		}

		// the bean is proxied (it has a @Transactional method): tests reach its state through methods

		void send(String name, String routingKey) {
			this.out.publish(Map.of("name", name), io.farine.amqp.PublishOptions.DEFAULTS.withRoutingKey(routingKey));
		}

		BlockingQueue<String> created() {
			return this.created;
		}

		int attempts() {
			return this.attempts.get();
		}

		boolean executeInTransaction() {
			return this.executeInTransaction;
		}

		boolean sseInTransaction() {
			return this.sseInTransaction;
		}

		int sseFailures() {
			return this.sseFailures.get();
		}

		@SseListener(endpoint = "${test.sse}")
		void onEvent(Map<String, String> event) {
			this.users.save(new User(null, event.get("name")));
			this.sseInTransaction = TransactionSynchronizationManager.isActualTransactionActive();
			if (event.get("name").startsWith("sse-fail")) {
				this.sseFailures.incrementAndGet();
				throw new IllegalStateException("refused " + event.get("name"));
			}
		}

		@Consume(routingKey = "${test.create}")
		void create(Map<String, String> body) {
			String name = body.get("name");
			this.users.save(new User(null, name));
			if (name.startsWith("fail")) {
				this.attempts.incrementAndGet();
				throw new IllegalStateException("refused " + name);
			}
			this.created.add(name);
		}

		@RpcMethod
		long insert(String name) {
			return this.users.save(new User(null, name)).id();
		}

		@RpcMethod
		long insertThenFail(String name) {
			this.users.save(new User(null, name));
			throw new IllegalStateException("refused " + name);
		}

		@RpcMethod
		@Transactional(readOnly = true)
		long readOnlyInsert(String name) {
			return this.users.save(new User(null, name)).id();
		}

		@RpcMethod
		long count() {
			return this.users.count();
		}

		@RpcMethod
		Stream<Map<String, Object>> names() {
			return this.users.streamAllBy()
				.map((user) -> Map.of("name", user.name(), "inTransaction",
						TransactionSynchronizationManager.isActualTransactionActive()));
		}

		@RpcMethod
		boolean active() {
			return TransactionSynchronizationManager.isActualTransactionActive();
		}

		@Execute(restart = false)
		void seed() {
			this.users.save(new User(null, "executed"));
			this.executeInTransaction = TransactionSynchronizationManager.isActualTransactionActive();
		}

	}

	@Component
	@FarineService("${test.plain}")
	static class Plain {

		@RpcMethod
		boolean active() {
			return TransactionSynchronizationManager.isActualTransactionActive();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableJdbcRepositories(considerNestedRepositories = true)
	@Import({ Accounts.class, Plain.class })
	static class App {

	}

}
