package io.farine.benchmarks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.farine.rpc.RpcClientFactory;
import io.farine.rpc.RpcMethod;
import io.farine.rpc.RpcOperations;
import io.farine.service.FarineService;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Scenarios 2 to 4: RPC {@code add(i, 1)} called sequentially (latency) and with N calls in flight
 * (throughput), and a call streaming 10,000 items; server and client in separate applications.
 */
final class Rpc {

	static final String SEQUENTIAL = "rpc-sequential";

	static final String CONCURRENT = "rpc-concurrent";

	static final String STREAM = "rpc-stream";

	private Rpc() {
	}

	static void run(Settings settings, Results results) throws Exception {
		try (Caller farine = new FarineCaller(); Caller observed = new FarineCaller(true); Caller spring = new SpringRpcCaller();
				Caller raw = new RawCaller("raw-client", false);
				Caller rawDirect = new RawCaller("raw-client (direct-reply-to)", true);
				Caller rawWire = new RawCaller("raw-client (farine's wire)", false, true)) {
			List<Caller> sequential = List.of(farine, spring, raw, rawDirect, rawWire);
			List<Caller> concurrent = List.of(farine, observed, spring, raw, rawWire);
			// warm-up until the JIT has compiled each path: farine's longer path took about 10,000 calls to
			// settle, the raw client's a few thousand; concurrent calls get there fastest
			for (Caller caller : concurrent) {
				concurrent(caller, settings.concurrentCalls(), settings.inFlight());
			}
			for (Caller caller : sequential) {
				sequential(caller, settings.sequentialCalls());
			}
			for (int round = 0; round < settings.rounds(); round++) {
				for (int i = 0; i < sequential.size(); i++) {
					Caller caller = sequential.get((round + i) % sequential.size());
					double jvmBefore = JvmCpu.millis();
					double[] figures = sequential(caller, settings.sequentialCalls());
					results.note(SEQUENTIAL, caller.name(), "JVM CPU ms per 1,000 calls",
							(JvmCpu.millis() - jvmBefore) * 1000 / settings.sequentialCalls());
					results.add(SEQUENTIAL, caller.name(), "calls_per_s", figures[0]);
					results.add(SEQUENTIAL, caller.name(), "p50_us", figures[1]);
					results.add(SEQUENTIAL, caller.name(), "p99_us", figures[2]);
				}
				for (int i = 0; i < concurrent.size(); i++) {
					Caller caller = concurrent.get((round + i) % concurrent.size());
					double brokerBefore = BrokerCpu.millis();
					double jvmBefore = JvmCpu.millis();
					results.add(CONCURRENT, caller.name(), "calls_per_s",
							concurrent(caller, settings.concurrentCalls(), settings.inFlight())[0]);
					results.note(CONCURRENT, caller.name(), "JVM CPU ms per 1,000 calls",
							(JvmCpu.millis() - jvmBefore) * 1000 / settings.concurrentCalls());
					results.note(CONCURRENT, caller.name(), "broker CPU ms per 1,000 calls",
							(BrokerCpu.millis() - brokerBefore) * 1000 / settings.concurrentCalls());
				}
			}
		}
		try (FarineCaller farine = new FarineCaller(); RawStream raw = new RawStream()) {
			farine.stream(settings.streamItems());
			raw.stream(settings.streamItems());
			for (int round = 0; round < settings.rounds(); round++) {
				boolean farineFirst = round % 2 == 0;
				double first = farineFirst ? farine.stream(settings.streamItems()) : raw.stream(settings.streamItems());
				double second = farineFirst ? raw.stream(settings.streamItems()) : farine.stream(settings.streamItems());
				results.add(STREAM, "farine", "items_per_s", farineFirst ? first : second);
				results.add(STREAM, "raw-client", "items_per_s", farineFirst ? second : first);
			}
		}
	}

	private static double[] sequential(Caller caller, int calls) throws Exception {
		long[] latencies = new long[calls];
		long start = System.nanoTime();
		for (int i = 0; i < calls; i++) {
			long before = System.nanoTime();
			caller.call(i);
			latencies[i] = System.nanoTime() - before;
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		Arrays.sort(latencies);
		return new double[] { calls / seconds, latencies[calls / 2] / 1e3, latencies[calls * 99 / 100] / 1e3 };
	}

	/** Calls with at most {@code inFlight} in flight; returns calls per second, p50 and p99 in microseconds. */
	static double[] concurrent(Caller caller, int calls, int inFlight) throws Exception {
		Semaphore permits = new Semaphore(inFlight);
		List<Throwable> failures = new ArrayList<>();
		long[] latencies = new long[calls];
		long start = System.nanoTime();
		for (int i = 0; i < calls; i++) {
			permits.acquire();
			int call = i;
			long sent = System.nanoTime();
			caller.callAsync(i).whenComplete((result, failure) -> {
				latencies[call] = System.nanoTime() - sent;
				if (failure != null) {
					synchronized (failures) {
						failures.add(failure);
					}
				}
				permits.release();
			});
		}
		permits.acquire(inFlight);
		double perSecond = calls / ((System.nanoTime() - start) / 1e9);
		if (!failures.isEmpty()) {
			throw new IllegalStateException(failures.size() + " calls of " + caller.name() + " failed", failures.get(0));
		}
		Arrays.sort(latencies);
		return new double[] { perSecond, latencies[calls / 2] / 1e3, latencies[calls * 99 / 100] / 1e3 };
	}

	/** A way of calling {@code add(i, 1)}. */
	interface Caller extends Subject {

		void call(int i) throws Exception;

		CompletableFuture<?> callAsync(int i);

	}

	static final class FarineCaller implements Caller {

		private final String service = Contexts.unique("bench-rpc");

		private final ConfigurableApplicationContext server;

		private final ConfigurableApplicationContext client;

		private final RpcOperations calculator;

		private final boolean observed;

		FarineCaller() {
			this(false);
		}

		/** {@code observed}: both applications with an observation registry keeping timers. */
		FarineCaller(boolean observed) {
			this.observed = observed;
			this.server = Contexts.farine(observed, FarineServer.class, "bench.service=" + this.service);
			this.client = Contexts.farine(observed, FarineClient.class);
			this.calculator = this.client.getBean(RpcClientFactory.class).operations(this.service);
		}

		@Override
		public String name() {
			return this.observed ? "farine (observed)" : "farine";
		}

		@Override
		public void call(int i) {
			check(i, this.calculator.call("add", Integer.class, i, 1));
		}

		@Override
		public CompletableFuture<?> callAsync(int i) {
			return this.calculator.callAsync("add", Integer.class, i, 1);
		}

		double stream(int items) {
			long start = System.nanoTime();
			try (Stream<Integer> numbers = this.calculator.stream("count", Integer.class, items)) {
				long count = numbers.count();
				if (count != items) {
					throw new IllegalStateException("Streamed " + count + " items, not " + items);
				}
			}
			return items / ((System.nanoTime() - start) / 1e9);
		}

		@Override
		public void close() {
			this.client.close();
			this.server.close();
			Broker.delete(this.service + "__add", this.service + "__count");
			Broker.deleteExchange(this.service);
		}

		@Configuration(proxyBeanMethods = false)
		@EnableAutoConfiguration
		static class FarineServer {

			@Bean
			Calculator calculator() {
				return new Calculator();
			}

		}

		@Configuration(proxyBeanMethods = false)
		@EnableAutoConfiguration
		static class FarineClient {

		}

		@FarineService("${bench.service}")
		static class Calculator {

			@RpcMethod
			int add(int a, int b) {
				return a + b;
			}

			@RpcMethod
			Stream<Integer> count(int n) {
				return IntStream.range(0, n).boxed();
			}

		}

	}

	static final class RawCaller implements Caller {

		private final String name;

		private final String queue = Contexts.unique("bench-rpc-raw");

		private final RawRpc rpc;

		RawCaller(String name, boolean directReplyTo) throws Exception {
			this(name, directReplyTo, false);
		}

		RawCaller(String name, boolean directReplyTo, boolean farineWire) throws Exception {
			this.name = name;
			this.rpc = new RawRpc(this.queue, directReplyTo, farineWire);
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public void call(int i) {
			this.rpc.call(i).join();
		}

		@Override
		public CompletableFuture<?> callAsync(int i) {
			return this.rpc.call(i);
		}

		@Override
		public void close() throws Exception {
			this.rpc.close();
			Broker.delete(this.queue);
		}

	}

	/** The streaming ceiling: N messages from a raw publisher to a raw consumer, transient, auto-ack. */
	static final class RawStream implements AutoCloseable {

		private final String queue = Contexts.unique("bench-stream-raw");

		private final Connection publisherConnection;

		private final Connection consumerConnection;

		private final Channel publisher;

		private volatile CountDownLatch latch = new CountDownLatch(0);

		RawStream() throws Exception {
			this.publisherConnection = Broker.factory().newConnection("bench-raw-stream-publisher");
			this.consumerConnection = Broker.factory().newConnection("bench-raw-stream-consumer");
			this.publisher = this.publisherConnection.createChannel();
			this.publisher.queueDeclare(this.queue, false, false, false, null);
			Channel consumer = this.consumerConnection.createChannel();
			consumer.basicConsume(this.queue, true, new DefaultConsumer(consumer) {

				@Override
				public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
					RawStream.this.latch.countDown();
				}

			});
		}

		double stream(int items) throws IOException, InterruptedException {
			this.latch = new CountDownLatch(items);
			byte[] body = "{\"body\":1234,\"__end__\":false}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
			AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().correlationId("stream").build();
			long start = System.nanoTime();
			for (int i = 0; i < items; i++) {
				this.publisher.basicPublish("", this.queue, properties, body);
			}
			this.latch.await();
			return items / ((System.nanoTime() - start) / 1e9);
		}

		@Override
		public void close() throws Exception {
			this.publisherConnection.close();
			this.consumerConnection.close();
			Broker.delete(this.queue);
		}

	}

	static void check(int i, Object result) {
		if (!(result instanceof Integer sum) || sum != i + 1) {
			throw new IllegalStateException("add(" + i + ", 1) returned " + result);
		}
	}

}
