package io.farine.amqp;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.farine.autoconfigure.FarineAutoConfiguration;
import io.farine.config.FarineProperties;
import io.farine.rpc.RpcClient;
import io.farine.rpc.RpcMethod;
import io.farine.rpc.RpcOperations;
import io.farine.service.FarineService;
import io.farine.test.Rabbit;
import io.farine.test.RabbitCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Failover in a real three-node RabbitMQ cluster ({@link RabbitCluster}): the service lists every
 * node in {@code amqp_uri} and uses quorum queues. The node its consumer is connected to stops
 * while messages are being published; the consumer and the RPC reply queue come back on a
 * surviving node, and every message whose publish was confirmed, before or during the failover,
 * is consumed.
 */
class ClusterFailoverIntegrationTests {

	private final String service = Rabbit.unique("failover");

	private String stopped;

	@BeforeEach
	void clusterUp() {
		RabbitCluster.startAll();
	}

	@AfterEach
	void restartAndCleanUp() throws Exception {
		if (this.stopped != null) {
			RabbitCluster.start(this.stopped);
		}
		try (Rabbit rabbit = new Rabbit(RabbitCluster.port(RabbitCluster.NODES.get(0)))) {
			rabbit.deleteQuietly(this.service + ".numbers", this.service + ".numbers.dlq", this.service + "__twice",
					this.service + "__twice.dlq");
			rabbit.deleteExchangeQuietly(this.service);
		}
	}

	@Test
	void consumersAndRpcComeBackOnASurvivingNodeAndNoConfirmedMessageIsLost() throws Exception {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FarineAutoConfiguration.class))
			.withUserConfiguration(Numbers.class)
			.withPropertyValues("farine.defaults.amqp_uri=" + RabbitCluster.uri(), "farine.defaults.queue_type=quorum",
					"farine.defaults.publish_timeout=60", "farine.defaults.rpc_timeout=10", "t.service=" + this.service)
			.run((context) -> {
				Numbers numbers = context.getBean(Numbers.class);
				assertThat(numbers.rpc.call("twice", Integer.class, 21)).isEqualTo(42);
				List<Integer> confirmed = new CopyOnWriteArrayList<>();
				List<Throwable> failed = new CopyOnWriteArrayList<>();
				AtomicInteger afterStop = new AtomicInteger(-1);
				// publishes before the stop, during it, and 100 more after the node is down
				Thread publishing = new Thread(() -> {
					for (int n = 0; afterStop.get() < 100; n++) {
						try {
							numbers.out.publish(Map.of("n", n));
							confirmed.add(n);
						}
						catch (RuntimeException ex) {
							failed.add(ex);
						}
						if (afterStop.get() >= 0) {
							afterStop.incrementAndGet();
						}
					}
				}, "failover-publisher");
				publishing.start();
				await().atMost(Duration.ofSeconds(60)).until(() -> numbers.seen.size() >= 100);

				Broker broker = context.getBean(BrokerConnections.class)
					.broker(context.getBean(FarineProperties.class).service(this.service));
				this.stopped = RabbitCluster.node(broker.connectionFactory().createConnection().getDelegate().getPort());
				RabbitCluster.stop(this.stopped);
				afterStop.set(0);

				publishing.join(Duration.ofMinutes(3).toMillis());
				assertThat(publishing.isAlive()).isFalse();
				// a blocking publish in flight when its connection's node stops fails, telling its caller
				// (the message may or may not be stored): at most the one in flight, never silently
				assertThat(failed).hasSizeLessThanOrEqualTo(1)
					.allSatisfy((error) -> assertThat(error).isInstanceOf(PublishException.class));
				await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(numbers.seen).containsAll(confirmed));
				assertThat(confirmed).hasSizeGreaterThan(200);
				assertThat(RabbitCluster.node(broker.connectionFactory().createConnection().getDelegate().getPort()))
					.isNotEqualTo(this.stopped);
				await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
					.until(() -> numbers.rpc.call("twice", Integer.class, 50) == 100);
			});
	}

	@FarineService("${t.service}")
	static class Numbers {

		final Set<Integer> seen = ConcurrentHashMap.newKeySet();

		@Publish(exchange = "${t.service}", routingKey = "numbers")
		Publisher out;

		@RpcClient("${t.service}")
		RpcOperations rpc;

		@Consume(exchange = "${t.service}", routingKey = "numbers", queue = "${t.service}.numbers")
		void on(Map<String, Integer> body) {
			this.seen.add(body.get("n"));
		}

		@RpcMethod
		int twice(int n) {
			return 2 * n;
		}

	}

}
