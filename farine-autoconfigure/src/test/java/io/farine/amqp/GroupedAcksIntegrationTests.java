package io.farine.amqp;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import io.farine.test.Rabbit;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link GroupedAcks} on a real broker, as the RPC reply queue uses it: every handled message is
 * acknowledged in groups, including one whose listener threw (never delivered again), and the
 * consumer keeps running. (The race it replaces, two threads acking one tag, is not reproducible on
 * demand.)
 */
class GroupedAcksIntegrationTests {

	private final String queue = Rabbit.unique("grouped-acks");

	@Test
	void handledMessagesAreAcknowledgedInGroupsByTheirOwnThreadAndAFailureIsNotRedelivered() throws Exception {
		CachingConnectionFactory connections = new CachingConnectionFactory("127.0.0.1", 5672);
		Set<String> handled = ConcurrentHashMap.newKeySet();
		DirectMessageListenerContainer container = null;
		try (Rabbit rabbit = new Rabbit()) {
			RabbitAdmin admin = new RabbitAdmin(connections);
			admin.declareQueue(new Queue(this.queue, false, false, true));
			container = ListenerContainers.start(connections, admin, this.queue, AcknowledgeMode.AUTO, 250, 1, 50,
					(message) -> {
						String body = new String(message.getBody(), java.nio.charset.StandardCharsets.UTF_8);
						if (!handled.add(body)) {
							throw new AssertionError("delivered twice: " + body);
						}
						if (body.equals("7")) {
							throw new IllegalStateException("the listener fails on message 7");
						}
					}, "grouped-acks-tests");
			for (int i = 0; i < 100; i++) {
				rabbit.publish("", this.queue, null, Integer.toString(i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() == 100);
			// two acks of 50, the failed message's group included: nothing is left on the queue, nothing comes back
			await().atMost(Duration.ofSeconds(30)).until(() -> Rabbit.messagesIn(this.queue) == 0);
			assertThat(container.isRunning()).isTrue();
		}
		finally {
			if (container != null) {
				container.stop();
				container.destroy();
			}
			connections.destroy();
		}
	}

}
