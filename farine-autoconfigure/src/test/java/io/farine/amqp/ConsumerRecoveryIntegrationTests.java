package io.farine.amqp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.farine.autoconfigure.FarineAutoConfiguration;
import io.farine.service.FarineService;
import io.farine.test.Rabbit;
import io.farine.test.TcpProxy;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fault tests: the service's connection to the broker goes through a TCP proxy that cuts it, as a
 * network failure or a broker restart would. Consumers must resume by themselves and every
 * message the broker accepted must be handled.
 */
class ConsumerRecoveryIntegrationTests {

	@Test
	void consumerResumesAfterItsConnectionIsCutAndEveryMessageIsHandled() throws Exception {
		String exchange = Rabbit.unique("recovery");
		String key = Rabbit.unique("recovery-q");
		try (Rabbit rabbit = new Rabbit(); TcpProxy proxy = new TcpProxy(5672)) {
			new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FarineAutoConfiguration.class))
				.withUserConfiguration(Counter.class)
				.withPropertyValues("farine.defaults.amqp_uri=amqp://guest:guest@127.0.0.1:" + proxy.port(),
						"t.exchange=" + exchange, "t.key=" + key)
				.run((context) -> {
					Set<Integer> seen = context.getBean(Counter.class).seen;
					int total = 300;
					for (int i = 0; i < total; i++) {
						// published straight to the broker, not through the proxy being cut
						rabbit.publish(exchange, key, PublishConsumeIntegrationTests.json(),
								("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
						if (i == 100 || i == 200) {
							int connectionsBefore = proxy.cutConnections();
							await().atMost(Duration.ofSeconds(30))
								.until(() -> proxy.acceptedConnections() > connectionsBefore);
						}
					}
					await().atMost(Duration.ofSeconds(60)).until(() -> seen.size() == total);
					assertThat(seen).hasSize(total);
					assertThat(proxy.acceptedConnections()).isGreaterThanOrEqualTo(3);
				});
			rabbit.deleteQuietly(key, key + ".dlq");
		}
	}

	@FarineService("counter")
	static class Counter {

		final Set<Integer> seen = ConcurrentHashMap.newKeySet();

		@Consume(exchange = "${t.exchange}", routingKey = "${t.key}")
		void on(java.util.Map<String, Integer> body) {
			this.seen.add(body.get("n"));
		}

	}

}
