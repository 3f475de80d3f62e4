package io.farine.amqp;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.farine.autoconfigure.FarineAutoConfiguration;
import io.farine.service.FarineService;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A broker that accepts connections and never answers (a hung node, a black-holing firewall):
 * {@code publishAsync} still returns at once, and a blocking {@code publish} gives up after its
 * {@code publish_timeout}, not after minutes of connection attempts.
 */
class UnresponsiveBrokerTests {

	@Test
	void publishAsyncReturnsAtOnceAndPublishEndsWithinItsTimeout() throws Exception {
		List<Socket> held = new CopyOnWriteArrayList<>();
		try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			Thread acceptor = new Thread(() -> {
				while (!silent.isClosed()) {
					try {
						held.add(silent.accept());
					}
					catch (java.io.IOException ex) {
						// closed
					}
				}
			});
			acceptor.setDaemon(true);
			acceptor.start();
			new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FarineAutoConfiguration.class))
				.withPropertyValues("farine.defaults.amqp_uri=amqp://guest:guest@127.0.0.1:" + silent.getLocalPort() + "//",
						"farine.defaults.auto_declare=false", "farine.defaults.publish_timeout=2s")
				.withUserConfiguration(Sender.class)
				.run((context) -> {
					Publisher publisher = context.getBean(Sender.class).out;
					long start = System.nanoTime();
					CompletableFuture<Void> async = publisher.publishAsync(Map.of("n", 1));
					// the old path opened the connection on the caller's thread: 5 tries of up to a minute each
					assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
					assertThat(async).isNotDone();
					long blocking = System.nanoTime();
					assertThatThrownBy(() -> publisher.publish(Map.of("n", 2))).isInstanceOf(PublishException.class)
						.hasMessageContaining("within PT2S");
					assertThat(Duration.ofNanos(System.nanoTime() - blocking)).isLessThan(Duration.ofSeconds(10));
					await().until(() -> !held.isEmpty());
				});
			for (Socket socket : held) {
				socket.close();
			}
		}
	}

	@FarineService("unanswered")
	static class Sender {

		@Publish(exchange = "unanswered", routingKey = "unanswered")
		Publisher out;

	}

}
