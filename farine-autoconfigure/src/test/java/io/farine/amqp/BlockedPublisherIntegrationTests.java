package io.farine.amqp;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.farine.autoconfigure.FarineAutoConfiguration;
import io.farine.autoconfigure.FarineHealthAutoConfiguration;
import io.farine.rpc.RpcClientFactory;
import io.farine.rpc.RpcMethod;
import io.farine.service.FarineService;
import io.farine.test.Rabbit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A RabbitMQ memory alarm (set with {@code rabbitmqctl}) blocks the connections that publish;
 * the consumers, on their own connection, keep taking and acknowledging messages, also when an
 * RPC server, on a connection of its own, replies meanwhile.
 */
class BlockedPublisherIntegrationTests {

	private final String key = Rabbit.unique("alarm");

	private final String rpcService = Rabbit.unique("holding");

	@AfterEach
	void clearAlarm() throws Exception {
		rabbitmqctl("set_vm_memory_high_watermark", "0.4");
		try (Rabbit rabbit = new Rabbit()) {
			rabbit.deleteQuietly(this.key, this.key + ".dlq", this.rpcService + "__hold", this.rpcService + "__hold.dlq");
			rabbit.deleteExchangeQuietly(this.key);
			rabbit.deleteExchangeQuietly(this.rpcService);
		}
	}

	private static String rabbitmqctl(String... arguments) throws Exception {
		String[] command = new String[arguments.length + 1];
		command[0] = "rabbitmqctl";
		System.arraycopy(arguments, 0, command, 1, arguments.length);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).isZero();
		return output;
	}

	@Test
	void consumersKeepAckingWhileTheBrokerBlocksPublishers() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FarineAutoConfiguration.class,
					FarineHealthAutoConfiguration.class))
			.withPropertyValues("farine.defaults.amqp_uri=" + Rabbit.URI, "t.key=" + this.key,
					"farine.defaults.prefetch_count=1")
			.withUserConfiguration(Slow.class)
			.run((context) -> {
				Slow slow = context.getBean(Slow.class);
				BrokerHealthContributor health = context.getBean("farineBrokers", BrokerHealthContributor.class);
				assertThat(brokerHealth(health).getStatus()).isEqualTo(Status.UP);
				slow.out.publish(Map.of("n", 1));
				slow.out.publish(Map.of("n", 2));
				assertThat(slow.received.poll(10, TimeUnit.SECONDS)).isEqualTo(Map.of("n", 1));
				// the first message is held unacknowledged; now every publishing connection gets blocked
				rabbitmqctl("set_vm_memory_high_watermark", "0");
				try {
					slow.out.publishAsync(Map.of("n", 3));
					slow.release.countDown();
					// acking message 1 and delivering message 2 need the consumer's connection to flow
					assertThat(slow.received.poll(30, TimeUnit.SECONDS)).isEqualTo(Map.of("n", 2));
					// the broker's health says publishing is blocked, and why
					await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
						Health blocked = brokerHealth(health);
						assertThat(blocked.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
						assertThat(String.valueOf(blocked.getDetails().get("blocked"))).contains("memory");
						assertThat(String.valueOf(blocked.getDetails().get("nodes"))).contains("***")
							.doesNotContain("guest:guest");
					});
				}
				finally {
					// before the context closes: a blocked connection does not close until the alarm clears
					rabbitmqctl("set_vm_memory_high_watermark", "0.4");
				}
				await().atMost(Duration.ofSeconds(30))
					.untilAsserted(() -> assertThat(brokerHealth(health).getStatus()).isEqualTo(Status.UP));
			});
	}

	@Test
	void anRpcServerBlockedReplyingDoesNotHoldOtherConsumersAcks() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FarineAutoConfiguration.class))
			.withPropertyValues("farine.defaults.amqp_uri=" + Rabbit.URI, "t.key=" + this.key,
					"farine.defaults.prefetch_count=1", "farine.defaults.rpc_timeout=120", "t.rpc=" + this.rpcService)
			.withUserConfiguration(Slow.class, Holding.class)
			.run((context) -> {
				Slow slow = context.getBean(Slow.class);
				Holding holding = context.getBean(Holding.class);
				slow.out.publish(Map.of("n", 1));
				slow.out.publish(Map.of("n", 2));
				assertThat(slow.received.poll(10, TimeUnit.SECONDS)).isEqualTo(Map.of("n", 1));
				CompletableFuture<String> reply = context.getBean(RpcClientFactory.class)
					.operations(this.rpcService)
					.callAsync("hold", String.class);
				assertThat(holding.called.await(10, TimeUnit.SECONDS)).isTrue();
				rabbitmqctl("set_vm_memory_high_watermark", "0");
				try {
					// the reply is published while the broker blocks publishers: its connection is blocked
					holding.release.countDown();
					await().atMost(Duration.ofSeconds(30))
						.until(() -> rabbitmqctl("list_connections", "-q", "state").lines().anyMatch("blocked"::equals));
					slow.release.countDown();
					// acking message 1 and delivering message 2 need the consumers' connection to flow
					assertThat(slow.received.poll(30, TimeUnit.SECONDS)).isEqualTo(Map.of("n", 2));
				}
				finally {
					rabbitmqctl("set_vm_memory_high_watermark", "0.4");
				}
				// the reply was held, not lost
				assertThat(reply.get(30, TimeUnit.SECONDS)).isEqualTo("done");
			});
	}

	@Test
	void whileTheBrokerBlocksPublishersPublishAsyncReturnsAtOnceAndPublishEndsAtItsTimeout() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FarineAutoConfiguration.class,
					FarineHealthAutoConfiguration.class))
			.withPropertyValues("farine.defaults.amqp_uri=" + Rabbit.URI, "t.key=" + this.key,
					"farine.defaults.publish_timeout=3s")
			.withUserConfiguration(Slow.class)
			.run((context) -> {
				Publisher out = context.getBean(Slow.class).out;
				BrokerHealthContributor health = context.getBean("farineBrokers", BrokerHealthContributor.class);
				out.publish(Map.of("n", 1));
				byte[] large = ("\"" + "x".repeat(5 * 1024 * 1024) + "\"").getBytes(java.nio.charset.StandardCharsets.UTF_8);
				ExecutorService callers = Executors.newCachedThreadPool();
				rabbitmqctl("set_vm_memory_high_watermark", "0");
				try {
					out.publishAsync(Map.of("n", 2));
					await().atMost(Duration.ofSeconds(30))
						.until(() -> brokerHealth(health).getStatus().equals(Status.OUT_OF_SERVICE));
					// each returns at once although the broker reads none of them
					for (int i = 0; i < 3; i++) {
						Future<CompletableFuture<Void>> async = callers.submit(() -> out.publishAsync(large));
						assertThat(async.get(5, TimeUnit.SECONDS)).isNotDone();
					}
					Future<?> blocking = callers.submit(() -> out.publish(large));
					assertThatThrownBy(() -> blocking.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
						.cause()
						.isInstanceOf(PublishException.class)
						.hasMessageContaining("within PT3S");
				}
				finally {
					rabbitmqctl("set_vm_memory_high_watermark", "0.4");
					callers.shutdownNow();
					context.getBean(Slow.class).release.countDown();
				}
			});
	}

	/** The health of the one broker the application uses. */
	private static Health brokerHealth(BrokerHealthContributor health) {
		List<HealthContributors.Entry> brokers = health.stream().toList();
		assertThat(brokers).singleElement().extracting(HealthContributors.Entry::name).isEqualTo("127.0.0.1-5672");
		return ((HealthIndicator) brokers.get(0).contributor()).health();
	}

	@FarineService("${t.rpc}")
	static class Holding {

		final CountDownLatch called = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		@RpcMethod
		String hold() throws InterruptedException {
			this.called.countDown();
			this.release.await(60, TimeUnit.SECONDS);
			return "done";
		}

	}

	@FarineService("alarmed")
	static class Slow {

		final BlockingQueue<Map<String, Object>> received = new LinkedBlockingQueue<>();

		final CountDownLatch release = new CountDownLatch(1);

		@Publish(exchange = "${t.key}", routingKey = "${t.key}")
		Publisher out;

		@Consume(exchange = "${t.key}", routingKey = "${t.key}")
		void on(Map<String, Object> body) throws InterruptedException {
			this.received.add(body);
			this.release.await(60, TimeUnit.SECONDS);
		}

	}

}
