package io.farine.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;

import io.farine.amqp.Consume;
import io.farine.amqp.Publish;
import io.farine.amqp.Publisher;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Scenario 1: publish then consume N persistent ~200-byte JSON maps through a durable queue,
 * with publisher confirms and consumer acknowledgements, at most {@value #IN_FLIGHT}
 * unconfirmed; the time runs until the last message is consumed. Prefetch {@value #PREFETCH}
 * for every subject.
 */
final class PublishConsume {

	static final String SCENARIO = "publish-consume";

	static final int IN_FLIGHT = 500;

	static final int PREFETCH = 50;

	/** The JSON bytes of {@link #message(int)} with an empty {@code padding}. */
	private static final int BASE_BYTES = new JsonMapper().writeValueAsBytes(message(0)).length + 14;

	private PublishConsume() {
	}

	static Map<String, Object> message(int i) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("id", i);
		body.put("customer", "customer-000042");
		body.put("items", List.of(Map.of("sku", "sku-1234", "qty", 2), Map.of("sku", "sku-5678", "qty", 1)));
		body.put("note", "leave the parcel at the door, ring twice, thanks a lot");
		body.put("total_cents", 123456);
		return body;
	}

	/** {@link #message(int)} padded with a {@code note} string to about {@code bytes} bytes of JSON. */
	static Map<String, Object> message(int i, int bytes) {
		Map<String, Object> body = message(i);
		int missing = bytes - BASE_BYTES;
		if (missing > 0) {
			body.put("padding", "x".repeat(missing));
		}
		return body;
	}

	/** How many messages of {@code bytes} may be unconfirmed: {@value #IN_FLIGHT}, or 32 MiB of them. */
	static int inFlight(int bytes) {
		return (bytes <= 0) ? IN_FLIGHT : Math.max(1, Math.min(IN_FLIGHT, (32 << 20) / bytes));
	}

	static void run(Settings settings, Results results) throws Exception {
		try (Timed farine = new FarineSubject(); Timed observed = new FarineSubject(1, true);
				Timed spring = new SpringSubject(); Timed raw = new RawSubject();
				Timed rawFarineWire = new RawSubject(1, true)) {
			List<Timed> subjects = List.of(farine, observed, spring, raw, rawFarineWire);
			for (Timed subject : subjects) {
				subject.run(settings.messages());
			}
			for (int round = 0; round < settings.rounds(); round++) {
				for (int i = 0; i < subjects.size(); i++) {
					Timed subject = subjects.get((round + i) % subjects.size());
					double brokerBefore = BrokerCpu.millis();
					double jvmBefore = JvmCpu.millis();
					results.add(SCENARIO, subject.name(), "msg_per_s", subject.run(settings.messages()));
					results.note(SCENARIO, subject.name(), "JVM CPU ms per 1,000 messages",
							(JvmCpu.millis() - jvmBefore) * 1000 / settings.messages());
					results.note(SCENARIO, subject.name(), "broker CPU ms per 1,000 messages",
							(BrokerCpu.millis() - brokerBefore) * 1000 / settings.messages());
				}
			}
		}
	}

	/** A subject that moves N messages and says how many per second. */
	interface Timed extends Subject {

		double run(int messages) throws Exception;

	}

	static final class FarineSubject implements Timed {

		private final ConfigurableApplicationContext context;

		private final String queue = Contexts.unique("bench-pc-farine");

		private int bytes;

		private final boolean observed;

		FarineSubject() {
			this(1);
		}

		/** With {@code consumers} consumers on the queue (farine's {@code concurrency}). */
		FarineSubject(int consumers) {
			this(consumers, false);
		}

		/** {@code observed}: with an observation registry keeping timers. */
		FarineSubject(int consumers, boolean observed) {
			this.observed = observed;
			this.context = Contexts.farine(observed, FarineApp.class, "bench.exchange=" + this.queue,
					"bench.key=" + this.queue, "farine.defaults.prefetch_count=" + PREFETCH,
					"farine.defaults.concurrency=" + consumers);
		}

		/** Publishes bodies of about {@code bytes} bytes from now on (0: the ~200-byte order). */
		FarineSubject body(int bytes) {
			this.bytes = bytes;
			return this;
		}

		@Override
		public String name() {
			return this.observed ? "farine (observed)" : "farine";
		}

		@Override
		public double run(int messages) throws Exception {
			BenchService service = this.context.getBean(BenchService.class);
			service.latch = new CountDownLatch(messages);
			Semaphore inFlight = new Semaphore(inFlight(this.bytes));
			long start = System.nanoTime();
			for (int i = 0; i < messages; i++) {
				inFlight.acquire();
				service.publisher.publishAsync(message(i, this.bytes)).whenComplete((ok, failure) -> inFlight.release());
			}
			service.latch.await();
			return messages / ((System.nanoTime() - start) / 1e9);
		}

		@Override
		public void close() {
			this.context.close();
			Broker.delete(this.queue, this.queue + ".dlq");
			Broker.deleteExchange(this.queue);
		}

		@Configuration(proxyBeanMethods = false)
		@EnableAutoConfiguration
		static class FarineApp {

			@Bean
			BenchService benchService() {
				return new BenchService();
			}

		}

		@io.farine.service.FarineService("bench")
		static class BenchService {

			@Publish(exchange = "${bench.exchange}", routingKey = "${bench.key}")
			Publisher publisher;

			volatile CountDownLatch latch = new CountDownLatch(0);

			@Consume(exchange = "${bench.exchange}", routingKey = "${bench.key}")
			void on(Map<String, Object> body) {
				this.latch.countDown();
			}

		}

	}

	static final class SpringSubject implements Timed {

		private final ConfigurableApplicationContext context;

		private final String queue = Contexts.unique("bench-pc-spring");

		SpringSubject() throws Exception {
			Broker.declareDurable(this.queue);
			this.context = Contexts.springAmqp(SpringApp.class, "bench.queue=" + this.queue,
					"spring.rabbitmq.publisher-confirm-type=correlated",
					"spring.rabbitmq.listener.simple.prefetch=" + PREFETCH);
		}

		@Override
		public String name() {
			return "spring-amqp";
		}

		@Override
		public double run(int messages) throws Exception {
			RabbitTemplate template = this.context.getBean(RabbitTemplate.class);
			Listener listener = this.context.getBean(Listener.class);
			listener.latch = new CountDownLatch(messages);
			Semaphore inFlight = new Semaphore(IN_FLIGHT);
			long start = System.nanoTime();
			for (int i = 0; i < messages; i++) {
				inFlight.acquire();
				CorrelationData correlation = new CorrelationData();
				correlation.getFuture().whenComplete((confirm, failure) -> inFlight.release());
				template.convertAndSend("", this.queue, message(i), correlation);
			}
			listener.latch.await();
			return messages / ((System.nanoTime() - start) / 1e9);
		}

		@Override
		public void close() {
			this.context.close();
			Broker.delete(this.queue);
		}

		@Configuration(proxyBeanMethods = false)
		@EnableAutoConfiguration
		static class SpringApp {

			@Bean
			MessageConverter jsonConverter() {
				return new JacksonJsonMessageConverter();
			}

			@Bean
			Listener listener() {
				return new Listener();
			}

		}

		static class Listener {

			volatile CountDownLatch latch = new CountDownLatch(0);

			@RabbitListener(queues = "${bench.queue}")
			void on(Map<String, Object> body) {
				this.latch.countDown();
			}

		}

	}

}
