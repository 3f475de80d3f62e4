package io.farine.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;

import io.farine.amqp.Consume;
import io.farine.amqp.Publish;
import io.farine.amqp.Publisher;
import io.farine.service.FarineService;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;

/**
 * Scenario 5: a consumer that inserts a row into PostgreSQL and publishes an event, in one
 * transaction, N times; the time runs until the last event is consumed. farine (named so) with its
 * transactional outbox (the event commits with the row and a relay sends it), the same with group
 * commit ({@code db_batch_size = 50}: up to 50 messages a transaction), farine without the
 * outbox (the event is published, confirmed, inside the transaction), and a plain Spring AMQP
 * {@code @RabbitListener} with {@code @Transactional} JDBC and a {@code RabbitTemplate} send.
 * Requests are published {@value PublishConsume#IN_FLIGHT} unconfirmed at most; each subject
 * has a database of its own on the local PostgreSQL.
 */
final class PublishConsumeDb {

	static final String SCENARIO = "publish-consume-db";

	private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";

	/** The {@code db_batch_size} of the subject that commits batches of messages. */
	private static final int BATCH = 50;

	private PublishConsumeDb() {
	}

	static void run(Settings settings, Results results) throws Exception {
		int messages = Math.max(200, settings.messages() / 4);
		try (Timed outbox = new FarineSubject("farine", true, 1);
				Timed batched = new FarineSubject("farine (db_batch_size=50)", true, BATCH);
				Timed direct = new FarineSubject("farine (no outbox)", false, 1); Timed spring = new SpringSubject()) {
			List<Timed> subjects = List.of(outbox, batched, direct, spring);
			for (Timed subject : subjects) {
				subject.run(messages / 4);
			}
			for (int round = 0; round < settings.rounds(); round++) {
				Map<Timed, Double> rates = new HashMap<>();
				for (int i = 0; i < subjects.size(); i++) {
					Timed subject = subjects.get((round + i) % subjects.size());
					double jvm = JvmCpu.millis();
					double broker = BrokerCpu.millis();
					double postgres = PostgresCpu.millis();
					double rate = subject.run(messages);
					rates.put(subject, rate);
					results.add(SCENARIO, subject.name(), "msg_per_s", rate);
					results.note(SCENARIO, subject.name(), "JVM CPU ms per 1,000 messages",
							(JvmCpu.millis() - jvm) * 1000 / messages);
					results.note(SCENARIO, subject.name(), "broker CPU ms per 1,000 messages",
							(BrokerCpu.millis() - broker) * 1000 / messages);
					results.note(SCENARIO, subject.name(), "PostgreSQL CPU ms per 1,000 messages",
							(PostgresCpu.millis() - postgres) * 1000 / messages);
				}
				// the target of group commit: batched farine against Spring, paired within the round
				results.note(SCENARIO, batched.name(), "msg/s over " + spring.name() + "'s",
						rates.get(batched) / rates.get(spring));
			}
		}
	}

	/** A subject that moves N messages through a database and says how many per second. */
	interface Timed extends Subject {

		double run(int messages) throws Exception;

	}

	/** A fresh database for one subject, dropped at the end. */
	private static String createDatabase(String name) throws Exception {
		try (Connection connection = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
		}
		try (Connection connection = DriverManager.getConnection(POSTGRES + name, "postgres", "");
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, customer TEXT NOT NULL)");
		}
		return POSTGRES + name;
	}

	private static void dropDatabase(String name) {
		try (Connection connection = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
				Statement statement = connection.createStatement()) {
			statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
		}
		catch (Exception ex) {
			System.err.println("Could not drop benchmark database " + name + ": " + ex.getMessage());
		}
	}

	static final class FarineSubject implements Timed {

		private final String name;

		private final String exchange = Contexts.unique("bench-db-farine");

		private final String database = this.exchange.replace('-', '_');

		private final ConfigurableApplicationContext context;

		FarineSubject(String name, boolean outbox, int batchSize) throws Exception {
			this.name = name;
			String url = createDatabase(this.database);
			this.context = Contexts.farine(FarineApp.class, "bench.exchange=" + this.exchange,
					"spring.datasource.url=" + url, "spring.datasource.username=postgres",
					"farine.outbox.enabled=" + outbox, "farine.defaults.prefetch_count=" + PublishConsume.PREFETCH,
					"farine.defaults.db_batch_size=" + batchSize, "farine.defaults.db_batch_window=5ms");
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public double run(int messages) throws Exception {
			Orders orders = this.context.getBean(Orders.class);
			orders.first = orders.next;
			orders.sentAt = new long[messages];
			orders.latencies = new long[messages];
			orders.events = new CountDownLatch(messages);
			Semaphore inFlight = new Semaphore(PublishConsume.IN_FLIGHT);
			long start = System.nanoTime();
			for (int i = 0; i < messages; i++) {
				inFlight.acquire();
				orders.sentAt[i] = System.nanoTime();
				orders.requests.publishAsync(PublishConsume.message(orders.next++))
					.whenComplete((ok, failure) -> inFlight.release());
			}
			orders.events.await();
			return messages / ((System.nanoTime() - start) / 1e9);
		}

		/** The 99th percentile of the last run's times from a request's publish to its event's consumption, in ms. */
		double p99Millis() {
			long[] latencies = this.context.getBean(Orders.class).latencies.clone();
			java.util.Arrays.sort(latencies);
			return latencies[latencies.length * 99 / 100] / 1e6;
		}

		@Override
		public void close() {
			this.context.close();
			Broker.delete(this.exchange + ".orders", this.exchange + ".orders.dlq", this.exchange + ".created",
					this.exchange + ".created.dlq");
			Broker.deleteExchange(this.exchange);
			dropDatabase(this.database);
		}

		@Configuration(proxyBeanMethods = false)
		@EnableAutoConfiguration
		static class FarineApp {

			@Bean
			Orders orders(JdbcTemplate jdbc) {
				return new Orders(jdbc);
			}

		}

		@FarineService("bench-db")
		static class Orders {

			private final JdbcTemplate jdbc;

			@Publish(exchange = "${bench.exchange}", routingKey = "orders")
			Publisher requests;

			@Publish(exchange = "${bench.exchange}", routingKey = "created")
			Publisher created;

			volatile int next;

			/** The id of the run's first request, and when each request of the run was published. */
			volatile int first;

			volatile long[] sentAt = new long[0];

			/** From each request's publish to its event's consumption, in ns. */
			volatile long[] latencies = new long[0];

			volatile CountDownLatch events = new CountDownLatch(0);

			Orders(JdbcTemplate jdbc) {
				this.jdbc = jdbc;
			}

			@Consume(exchange = "${bench.exchange}", routingKey = "orders", queue = "${bench.exchange}.orders")
			void order(Map<String, Object> order) {
				this.jdbc.update("INSERT INTO orders (id, customer) VALUES (?, ?)", order.get("id"), order.get("customer"));
				this.created.publish(Map.of("id", order.get("id")));
			}

			@Consume(exchange = "${bench.exchange}", routingKey = "created", queue = "${bench.exchange}.created")
			void created(Map<String, Object> event) {
				int index = ((Number) event.get("id")).intValue() - this.first;
				if (index >= 0 && index < this.latencies.length) {
					this.latencies[index] = System.nanoTime() - this.sentAt[index];
				}
				this.events.countDown();
			}

		}

	}

	static final class SpringSubject implements Timed {

		private final String exchange = Contexts.unique("bench-db-spring");

		private final String database = this.exchange.replace('-', '_');

		private final ConfigurableApplicationContext context;

		SpringSubject() throws Exception {
			String url = createDatabase(this.database);
			this.context = Contexts.springAmqp(SpringApp.class, "bench.exchange=" + this.exchange,
					"spring.datasource.url=" + url, "spring.datasource.username=postgres",
					"spring.rabbitmq.publisher-confirm-type=correlated",
					"spring.rabbitmq.listener.simple.prefetch=" + PublishConsume.PREFETCH);
		}

		@Override
		public String name() {
			return "spring-amqp @Transactional";
		}

		@Override
		public double run(int messages) throws Exception {
			RabbitTemplate template = this.context.getBean(RabbitTemplate.class);
			// not the listener itself: @Transactional makes it a proxy, whose fields are not the target's
			Progress listener = this.context.getBean(Progress.class);
			listener.events = new CountDownLatch(messages);
			Semaphore inFlight = new Semaphore(PublishConsume.IN_FLIGHT);
			long start = System.nanoTime();
			for (int i = 0; i < messages; i++) {
				inFlight.acquire();
				org.springframework.amqp.rabbit.connection.CorrelationData correlation =
						new org.springframework.amqp.rabbit.connection.CorrelationData();
				correlation.getFuture().whenComplete((confirm, failure) -> inFlight.release());
				template.convertAndSend(this.exchange, "orders", PublishConsume.message(listener.next++), correlation);
			}
			listener.events.await();
			return messages / ((System.nanoTime() - start) / 1e9);
		}

		@Override
		public void close() {
			this.context.close();
			Broker.delete(this.exchange + ".orders", this.exchange + ".created");
			Broker.deleteExchange(this.exchange);
			dropDatabase(this.database);
		}

		@Configuration(proxyBeanMethods = false)
		@EnableAutoConfiguration
		@EnableTransactionManagement
		static class SpringApp {

			@Bean
			MessageConverter jsonConverter() {
				return new JacksonJsonMessageConverter();
			}

			@Bean
			DirectExchange benchExchange(org.springframework.core.env.Environment environment) {
				return new DirectExchange(environment.getRequiredProperty("bench.exchange"));
			}

			@Bean
			Queue ordersQueue(org.springframework.core.env.Environment environment) {
				return new Queue(environment.getRequiredProperty("bench.exchange") + ".orders");
			}

			@Bean
			Queue createdQueue(org.springframework.core.env.Environment environment) {
				return new Queue(environment.getRequiredProperty("bench.exchange") + ".created");
			}

			@Bean
			Binding ordersBinding(DirectExchange benchExchange, Queue ordersQueue) {
				return BindingBuilder.bind(ordersQueue).to(benchExchange).with("orders");
			}

			@Bean
			Binding createdBinding(DirectExchange benchExchange, Queue createdQueue) {
				return BindingBuilder.bind(createdQueue).to(benchExchange).with("created");
			}

			@Bean
			Progress progress() {
				return new Progress();
			}

			@Bean
			Listener listener(JdbcTemplate jdbc, RabbitTemplate template, Progress progress,
					org.springframework.core.env.Environment environment) {
				return new Listener(jdbc, template, progress, environment.getRequiredProperty("bench.exchange"));
			}

		}

		static class Progress {

			volatile int next;

			volatile CountDownLatch events = new CountDownLatch(0);

		}

		static class Listener {

			private final JdbcTemplate jdbc;

			private final RabbitTemplate template;

			private final Progress progress;

			private final String exchange;

			Listener(JdbcTemplate jdbc, RabbitTemplate template, Progress progress, String exchange) {
				this.jdbc = jdbc;
				this.template = template;
				this.progress = progress;
				this.exchange = exchange;
			}

			@RabbitListener(queues = "${bench.exchange}.orders")
			@Transactional
			public void order(Map<String, Object> order) {
				this.jdbc.update("INSERT INTO orders (id, customer) VALUES (?, ?)", order.get("id"), order.get("customer"));
				this.template.convertAndSend(this.exchange, "created", Map.of("id", order.get("id")));
			}

			@RabbitListener(queues = "${bench.exchange}.created")
			public void created(Map<String, Object> event) {
				this.progress.events.countDown();
			}

		}

	}

}
