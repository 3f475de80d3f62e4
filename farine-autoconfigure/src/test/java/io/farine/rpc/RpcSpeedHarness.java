package io.farine.rpc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.farine.autoconfigure.FarineAutoConfiguration;
import io.farine.service.FarineService;
import io.farine.test.Rabbit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A small speed harness, not a test: farine RPC against a raw RabbitMQ Java client RPC (exclusive
 * reply queue) on the local broker, alternating rounds in one run, medians printed as ratios.
 * Skipped unless {@code -Dfarine.harness=true}:
 * {@code ./mvnw -pl farine-autoconfigure test -Dtest=RpcSpeedHarness -Dfarine.harness=true}.
 * The benchmarks module supersedes it.
 */
@EnabledIfSystemProperty(named = "farine.harness", matches = "true")
class RpcSpeedHarness {

	private static final int ROUNDS = Integer.getInteger("farine.harness.rounds", 5);

	private static final int SEQUENTIAL_CALLS = 3_000;

	private static final int CONCURRENT_CALLS = 20_000;

	@Test
	void farineAgainstTheRawClient() throws Exception {
		String service = Rabbit.unique("speed");
		String rawQueue = Rabbit.unique("raw-rpc");
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FarineAutoConfiguration.class))
			.withPropertyValues("farine.defaults.amqp_uri=" + Rabbit.URI, "t.service=" + service);
		try (RawRpc raw = new RawRpc(rawQueue)) {
			runner.withUserConfiguration(Adder.class).run((server) -> runner.run((client) -> {
				RpcOperations farine = client.getBean(RpcClientFactory.class).operations(service);
				Caller farineCall = (i) -> farine.callAsync("add", Integer.class, i, 1);
				Caller rawCall = raw::call;
				sequential(farineCall, 2_000);
				sequential(rawCall, 2_000);
				List<double[]> farineSequential = new ArrayList<>();
				List<double[]> rawSequential = new ArrayList<>();
				List<Double> farineConcurrent = new ArrayList<>();
				List<Double> rawConcurrent = new ArrayList<>();
				for (int round = 0; round < ROUNDS; round++) {
					rawSequential.add(sequential(rawCall, SEQUENTIAL_CALLS));
					farineSequential.add(sequential(farineCall, SEQUENTIAL_CALLS));
					rawConcurrent.add(concurrent(rawCall, CONCURRENT_CALLS, 16));
					farineConcurrent.add(concurrent(farineCall, CONCURRENT_CALLS, 16));
				}
				report("sequential calls/s", median(farineSequential, 0), median(rawSequential, 0));
				report("sequential p50 us", median(farineSequential, 1), median(rawSequential, 1));
				report("sequential p99 us", median(farineSequential, 2), median(rawSequential, 2));
				report("16 in flight calls/s", median(farineConcurrent), median(rawConcurrent));
			}));
		}
		try (Rabbit rabbit = new Rabbit()) {
			rabbit.deleteQuietly(service + "__add", rawQueue);
			rabbit.deleteExchangeQuietly(service);
		}
	}

	private static double[] sequential(Caller caller, int calls) {
		long[] latencies = new long[calls];
		long start = System.nanoTime();
		for (int i = 0; i < calls; i++) {
			long before = System.nanoTime();
			caller.call(i).join();
			latencies[i] = System.nanoTime() - before;
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		Arrays.sort(latencies);
		return new double[] { calls / seconds, latencies[calls / 2] / 1e3, latencies[calls * 99 / 100] / 1e3 };
	}

	private static double concurrent(Caller caller, int calls, int inFlight) throws InterruptedException {
		Semaphore permits = new Semaphore(inFlight);
		long start = System.nanoTime();
		for (int i = 0; i < calls; i++) {
			permits.acquire();
			caller.call(i).whenComplete((result, failure) -> permits.release());
		}
		permits.acquire(inFlight);
		return calls / ((System.nanoTime() - start) / 1e9);
	}

	private static double median(List<double[]> rounds, int index) {
		return median(rounds.stream().map((round) -> round[index]).toList());
	}

	private static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		return sorted.get(sorted.size() / 2);
	}

	private static void report(String metric, double farine, double raw) {
		System.out.printf("HARNESS %-22s farine %10.1f   raw %10.1f   ratio %.2f%n", metric, farine, raw, farine / raw);
	}

	interface Caller {

		CompletableFuture<?> call(int i);

	}

	@FarineService("${t.service}")
	static class Adder {

		@RpcMethod
		int add(int a, int b) {
			return a + b;
		}

	}

	/**
	 * RPC with the raw client: a server consuming one queue and replying through the default
	 * exchange, a client with an exclusive reply queue and a correlation map. Two connections, as
	 * two processes would have.
	 */
	static final class RawRpc implements AutoCloseable {

		private final Connection serverConnection;

		private final Connection clientConnection;

		private final Channel clientChannel;

		private final String queue;

		private final String replyQueue;

		private final Map<String, CompletableFuture<byte[]>> calls = new ConcurrentHashMap<>();

		private long next;

		RawRpc(String queue) throws Exception {
			this.queue = queue;
			ConnectionFactory factory = new ConnectionFactory();
			factory.setHost("127.0.0.1");
			this.serverConnection = factory.newConnection("raw-server");
			this.clientConnection = factory.newConnection("raw-client");
			Channel server = this.serverConnection.createChannel();
			server.queueDeclare(queue, false, false, true, null);
			server.basicQos(10);
			server.basicConsume(queue, false, new DefaultConsumer(server) {

				@Override
				public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
						throws IOException {
					AMQP.BasicProperties reply = new AMQP.BasicProperties.Builder()
						.correlationId(properties.getCorrelationId())
						.build();
					getChannel().basicPublish("", properties.getReplyTo(), reply, body);
					getChannel().basicAck(envelope.getDeliveryTag(), false);
				}

			});
			this.clientChannel = this.clientConnection.createChannel();
			this.replyQueue = this.clientChannel.queueDeclare().getQueue();
			this.clientChannel.basicConsume(this.replyQueue, true, new DefaultConsumer(this.clientChannel) {

				@Override
				public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
					CompletableFuture<byte[]> call = RawRpc.this.calls.remove(properties.getCorrelationId());
					if (call != null) {
						call.complete(body);
					}
				}

			});
		}

		CompletableFuture<byte[]> call(int i) {
			CompletableFuture<byte[]> result = new CompletableFuture<>();
			String id;
			synchronized (this) {
				id = Long.toString(this.next++);
				this.calls.put(id, result);
				try {
					this.clientChannel.basicPublish("", this.queue,
							new AMQP.BasicProperties.Builder().correlationId(id).replyTo(this.replyQueue).build(),
							("{\"args\":[" + i + ",1]}").getBytes(StandardCharsets.UTF_8));
				}
				catch (IOException ex) {
					result.completeExceptionally(ex);
				}
			}
			return result;
		}

		@Override
		public void close() throws Exception {
			this.clientConnection.close();
			this.serverConnection.close();
		}

	}

}
