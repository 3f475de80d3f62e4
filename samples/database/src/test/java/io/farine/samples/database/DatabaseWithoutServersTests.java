package io.farine.samples.database;

import java.net.ServerSocket;
import java.util.Map;

import io.farine.rpc.RpcClientFactory;
import io.farine.rpc.RpcOperations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The database sample on a machine with only Java, played by pointing it at loopback ports where
 * nothing listens: farine-dev starts an embedded broker and an embedded PostgreSQL, and the
 * sample's contract holds there too, though nobody listens to its events there.
 */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseWithoutServersTests {

	private static int freePort() throws Exception {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	@Test
	void createCountAndFindWorkOnTheStandIns(CapturedOutput output) throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(DatabaseApplication.class).run(
				"--farine.defaults.amqp_uri=amqp://guest:guest@127.0.0.1:" + freePort() + "//",
				"--farine.defaults.db_port=" + freePort())) {
			assertThat(output).contains("started an embedded AMQP broker", "started an embedded PostgreSQL 15");
			RpcOperations users = context.getBean(RpcClientFactory.class).operations("users");
			assertThat(users.call("count").asLong()).isZero();
			context.getBean(CreateRequests.class).create.publish(Map.of("name", "ada"));
			await().until(() -> users.call("count").asLong() == 1);
			assertThat(users.call("find", "ada").get("name").asString()).isEqualTo("ada");
			// nobody listens to created events on this fresh broker: the event is sent all the same, not parked
			// (the user's row and its event's outbox row commit together: the relay deletes the latter once sent)
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			await().until(() -> jdbc.queryForObject("SELECT count(*) FROM farine_outbox", Long.class) == 0);
			assertThat(jdbc.queryForObject("SELECT count(*) FROM farine_outbox_parked", Long.class)).isZero();
		}
	}

}
