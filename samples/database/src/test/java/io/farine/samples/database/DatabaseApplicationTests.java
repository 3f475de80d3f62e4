package io.farine.samples.database;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.farine.rpc.RpcClientFactory;
import io.farine.rpc.RpcOperations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The database sample as a user runs it, against the local PostgreSQL and RabbitMQ; only the
 * database name differs (a fresh one, which the sample creates, dropped afterwards).
 */
@SpringBootTest(properties = { "farine.defaults.db_name=" + DatabaseApplicationTests.DATABASE,
		"farine.defaults.consume_retry_delay=10ms" })
// closed after the class: its consumers would otherwise share the sample's queues with the farine-test context
@DirtiesContext
class DatabaseApplicationTests {

	static final String DATABASE = "farine_sample_test";

	private static com.rabbitmq.client.Connection rabbit;

	private static Channel channel;

	private static String created;

	@Autowired
	CreateRequests sender;

	@Autowired
	RpcClientFactory rpc;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeAll
	static void listen() throws Exception {
		drop();
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost("127.0.0.1");
		rabbit = factory.newConnection();
		channel = rabbit.createChannel();
		channel.exchangeDeclare("users", "direct", true);
		created = channel.queueDeclare("users-created-" + UUID.randomUUID(), false, true, true, null).getQueue();
		channel.queueBind(created, "users", "created");
		channel.queueDeclare("create.dlq", true, false, false, null);
		channel.queuePurge("create.dlq");
	}

	@AfterAll
	static void drop() throws Exception {
		if (rabbit != null) {
			rabbit.close();
		}
		try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres",
				""); Statement statement = connection.createStatement()) {
			statement.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
		}
	}

	private static GetResponse take(String queue) {
		GetResponse[] holder = new GetResponse[1];
		await().atMost(Duration.ofSeconds(20)).until(() -> (holder[0] = channel.basicGet(queue, true)) != null);
		return holder[0];
	}

	@Test
	void flywayCreatedTheTableFromTheServicesMigrationBeforeTheHandlersStarted() {
		assertThat(this.jdbc.queryForList("SELECT version, description, success FROM flyway_schema_history"
				+ " WHERE version IS NOT NULL"))
			.containsExactly(Map.of("version", "1", "description", "users", "success", true));
	}

	@Test
	void createInsertsPublishesAndAnswersOverRpcARepeatedRequestIsHandledOnceADuplicateIsDeadLettered()
			throws Exception {
		RpcOperations users = this.rpc.operations("users");
		assertThat(users.call("count").asLong()).isZero();

		this.sender.create.publish(Map.of("name", "ada"));
		JsonNode event = new JsonMapper().readTree(new String(take(created).getBody(), StandardCharsets.UTF_8));
		assertThat(event.get("name").asString()).isEqualTo("ada");
		long id = event.get("id").asLong();
		assertThat(users.call("count").asLong()).isEqualTo(1);
		JsonNode found = users.call("find", "ada");
		assertThat(found.get("id").asLong()).isEqualTo(id);
		assertThat(found.get("name").asString()).isEqualTo("ada");
		assertThat(users.call("find", "nobody").isNull()).isTrue();

		// a client publishing again with the same message id (its confirm was lost): handled once
		AMQP.BasicProperties again = new AMQP.BasicProperties.Builder().messageId("create-bob")
			.contentType("application/json")
			.build();
		channel.basicPublish("users", "create", again, "{\"name\": \"bob\"}".getBytes(StandardCharsets.UTF_8));
		channel.basicPublish("users", "create", again, "{\"name\": \"bob\"}".getBytes(StandardCharsets.UTF_8));
		JsonNode bob = new JsonMapper().readTree(new String(take(created).getBody(), StandardCharsets.UTF_8));
		assertThat(bob.get("name").asString()).isEqualTo("bob");

		// another request for an existing name (another message id) fails, and is dead-lettered
		this.sender.create.publish(Map.of("name", "ada"));
		GetResponse dead = take("create.dlq");
		assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).contains("ada");
		assertThat(dead.getProps().getHeaders()).containsEntry("x-attempts", 4);
		assertThat(users.call("count").asLong()).isEqualTo(2);
		assertThat(channel.basicGet(created, true)).isNull();
		assertThat(channel.basicGet("create.dlq", true)).isNull();
	}

}
