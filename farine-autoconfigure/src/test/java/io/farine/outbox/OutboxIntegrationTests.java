package io.farine.outbox;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.farine.amqp.Consume;
import io.farine.amqp.FarineMessage;
import io.farine.amqp.Publish;
import io.farine.amqp.PublishOptions;
import io.farine.amqp.Publisher;
import io.farine.service.FarineService;
import io.farine.test.Postgres;
import io.farine.test.Rabbit;
import io.farine.test.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The transactional outbox against the local PostgreSQL (a database of its own) and RabbitMQ:
 * what is published inside a transaction is sent if, and only if, it commits, in order, once;
 * rows left by a stopped application are sent by the next one; a broker connection cut in the
 * middle loses nothing.
 */
class OutboxIntegrationTests {

	private static Postgres database;

	private String service;

	@BeforeAll
	static void createDatabase() throws Exception {
		database = new Postgres("outbox");
	}

	@AfterAll
	static void dropDatabase() throws Exception {
		database.close();
	}

	@BeforeEach
	void names() {
		this.service = Rabbit.unique("outbox");
	}

	private ConfigurableApplicationContext run(Class<?> app, String amqpUri, String... more) {
		List<String> args = new java.util.ArrayList<>(List.of("--farine.defaults.amqp_uri=" + amqpUri,
				"--spring.datasource.url=" + database.url(), "--spring.datasource.username=" + Postgres.USER,
				"--t.service=" + this.service, "--farine.defaults.publish_timeout=5"));
		args.addAll(List.of(more));
		return new SpringApplicationBuilder(app).web(WebApplicationType.NONE).run(args.toArray(String[]::new));
	}

	@Test
	void aRolledBackPublishIsNeverSentAndACommittedOneIsSentOnceInOrder() throws Exception {
		try (ConfigurableApplicationContext context = run(Both.class, Rabbit.URI)) {
			Events events = context.getBean(Events.class);
			TransactionTemplate transaction = context.getBean(TransactionTemplate.class);
			transaction.executeWithoutResult((status) -> {
				events.out.publish(Map.of("n", 1));
				status.setRollbackOnly();
			});
			transaction.executeWithoutResult((status) -> {
				events.out.publish(Map.of("n", 2));
				events.out.publish(Map.of("n", 3));
			});
			events.out.publish(Map.of("n", 4));
			// 4 is sent directly, not through the outbox: wait for the outbox's two as well
			await().atMost(Duration.ofSeconds(30)).until(() -> events.seen.size() >= 3);
			assertThat(events.seen).containsSubsequence(2, 3).containsOnly(2, 3, 4).doesNotHaveDuplicates();
			await().atMost(Duration.ofSeconds(30)).until(() -> database.count("SELECT count(*) FROM farine_outbox") == 0);
			assertThat(context.getBean(OutboxRelay.class).sent()).isEqualTo(2);
		}
	}

	@Test
	void eachMessageKeepsItsOwnHeadersThroughTheOutbox() throws Exception {
		try (ConfigurableApplicationContext context = run(WithHeaders.class, Rabbit.URI)) {
			HeadersSeen events = context.getBean(HeadersSeen.class);
			TransactionTemplate transaction = context.getBean(TransactionTemplate.class);
			transaction.executeWithoutResult((status) -> {
				events.out.publish(Map.of("n", 1), PublishOptions.DEFAULTS.withHeader("k", "one"));
				events.out.publish(Map.of("n", 2));
				events.out.publish(Map.of("n", 3), PublishOptions.DEFAULTS.withHeader("k", "three"));
				events.out.publish(Map.of("n", 4));
			});
			await().atMost(Duration.ofSeconds(30)).until(() -> events.headers.size() == 4);
			for (int n = 1; n <= 4; n++) {
				assertThat(events.headers.get(n)).as("headers of message %d", n)
					.containsEntry(FarineMessage.SENDER_SERVICE_HEADER, this.service)
					.containsKey(FarineMessage.SENDER_INSTANCE_HEADER);
			}
			assertThat(events.headers.get(1)).containsEntry("k", "one");
			assertThat(events.headers.get(2)).doesNotContainKey("k");
			assertThat(events.headers.get(3)).containsEntry("k", "three");
			assertThat(events.headers.get(4)).doesNotContainKey("k");
			assertThat(context.getBean(OutboxRelay.class).sent()).isEqualTo(4);
		}
	}

	@Test
	void messagesKeptWhileTheBrokerWasUnreachableAreSentByTheNextApplication() throws Exception {
		int closed = TcpProxy.freePort();
		try (ConfigurableApplicationContext context = run(PublisherOnly.class, "amqp://guest:guest@127.0.0.1:" + closed,
				"--farine.defaults.auto_declare=false", "--farine.defaults.retry=false")) {
			Events events = context.getBean(Events.class);
			TransactionTemplate transaction = context.getBean(TransactionTemplate.class);
			for (int n = 0; n < 50; n++) {
				int value = n;
				transaction.executeWithoutResult((status) -> events.out.publish(Map.of("n", value)));
			}
			// outside a transaction: the broker cannot be reached, so the outbox keeps them too
			for (int n = 50; n < 55; n++) {
				events.out.publish(Map.of("n", n));
			}
			assertThat(database.count("SELECT count(*) FROM farine_outbox")).isEqualTo(55);
		}
		try (ConfigurableApplicationContext context = run(Both.class, Rabbit.URI)) {
			Events events = context.getBean(Events.class);
			await().atMost(Duration.ofSeconds(30)).until(() -> events.seen.size() >= 55);
			assertThat(events.seen).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 55).boxed().toList());
		}
	}

	@Test
	void twoApplicationsOnOneTableSendEachRowOnce() throws Exception {
		try (ConfigurableApplicationContext first = run(Both.class, Rabbit.URI);
				ConfigurableApplicationContext second = run(PublisherOnly.class, Rabbit.URI)) {
			Events events = first.getBean(Events.class);
			TransactionTemplate transaction = second.getBean(TransactionTemplate.class);
			Publisher out = second.getBean(Events.class).out;
			for (int n = 0; n < 300; n++) {
				int value = n;
				transaction.executeWithoutResult((status) -> out.publish(Map.of("n", value)));
			}
			// a last message after every other from the same publisher: it arrives after them
			transaction.executeWithoutResult((status) -> out.publish(Map.of("n", -1)));
			await().atMost(Duration.ofSeconds(60)).until(() -> events.seen.contains(-1));
			assertThat(events.seen).hasSize(301).doesNotHaveDuplicates();
			assertThat(first.getBean(OutboxRelay.class).sent() + second.getBean(OutboxRelay.class).sent())
				.isEqualTo(301);
		}
	}

	@Test
	void connectionCutsDuringAThousandTransactionalPublishesLoseNothingAndKeepTheOrder() throws Exception {
		// the relay's connection goes through the proxy; the consumer, in an application without a
		// relay, is on the broker directly, so what is checked is the outbox's order, not redelivery's.
		// Ten cuts: a batch cut midway must not go on over a new connection ahead of what was lost
		try (TcpProxy proxy = new TcpProxy(5672);
				ConfigurableApplicationContext publishing = run(PublisherOnly.class,
						"amqp://guest:guest@127.0.0.1:" + proxy.port());
				ConfigurableApplicationContext consuming = run(Both.class, Rabbit.URI, "--farine.outbox.enabled=false")) {
			Events events = consuming.getBean(Events.class);
			Publisher out = publishing.getBean(Events.class).out;
			TransactionTemplate transaction = publishing.getBean(TransactionTemplate.class);
			for (int n = 0; n < 1000; n++) {
				int value = n;
				transaction.executeWithoutResult((status) -> out.publish(Map.of("n", value)));
				if (n % 100 == 50) {
					proxy.cutConnections();
				}
			}
			await().atMost(Duration.ofSeconds(90)).until(() -> events.seen.stream().distinct().count() == 1000);
			// at least once: a cut between a confirm and the row's delete sends a batch again, in order
			assertThat(events.seen.stream().distinct().toList())
				.containsExactlyElementsOf(java.util.stream.IntStream.range(0, 1000).boxed().toList());
		}
	}

	@Test
	void anIdempotentConsumerHandlesARedeliveredMessageOnce() throws Exception {
		try (ConfigurableApplicationContext context = run(Idempotent.class, Rabbit.URI); Rabbit rabbit = new Rabbit()) {
			Once once = context.getBean(Once.class);
			com.rabbitmq.client.AMQP.BasicProperties withId = new com.rabbitmq.client.AMQP.BasicProperties.Builder()
				.contentType("application/json").messageId("0123456789abcdef0123456789abcdef").build();
			com.rabbitmq.client.AMQP.BasicProperties withoutId = new com.rabbitmq.client.AMQP.BasicProperties.Builder()
				.contentType("application/json").build();
			byte[] first = "{\"n\": 1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
			byte[] second = "{\"n\": 2}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
			// the same message id twice (as a redelivery after a lost ack would bring it), then twice none
			rabbit.channel().basicPublish(this.service, "once", withId, first);
			rabbit.channel().basicPublish(this.service, "once", withId, first);
			rabbit.channel().basicPublish(this.service, "once", withoutId, second);
			rabbit.channel().basicPublish(this.service, "once", withoutId, second);
			await().atMost(Duration.ofSeconds(30)).until(() -> once.seen.size() >= 3);
			// the queue is empty once all four were taken: nothing else will come
			await().atMost(Duration.ofSeconds(30))
				.until(() -> rabbit.channel().messageCount(this.service + ".once") == 0 && once.handled.get() >= 3);
			assertThat(once.seen).containsExactly(1, 2, 2);
			assertThat(database.count("SELECT count(*) FROM farine_inbox WHERE message_id = "
					+ "'0123456789abcdef0123456789abcdef'")).isEqualTo(1);
		}
	}

	@Test
	void anIdempotentConsumerWithoutADatabaseStopsStartUpNamingIt() {
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SpringApplicationBuilder(NoDatabase.class)
			.web(WebApplicationType.NONE)
			.run("--farine.defaults.amqp_uri=" + Rabbit.URI, "--t.service=" + this.service))
			.hasStackTraceContaining("@Consume(idempotent = true)")
			.hasStackTraceContaining("needs a database for its inbox");
	}

	@FarineService("${t.service}")
	static class Once {

		final List<Integer> seen = new CopyOnWriteArrayList<>();

		final java.util.concurrent.atomic.AtomicInteger handled = new java.util.concurrent.atomic.AtomicInteger();

		@Consume(exchange = "${t.service}", routingKey = "once", queue = "${t.service}.once", idempotent = true)
		void on(Map<String, Integer> body) {
			this.seen.add(body.get("n"));
			this.handled.incrementAndGet();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(Once.class)
	static class Idempotent {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
	@Import(Once.class)
	static class NoDatabase {

	}

	@FarineService("${t.service}")
	static class Events {

		final List<Integer> seen = new CopyOnWriteArrayList<>();

		@Publish(exchange = "${t.service}", routingKey = "events")
		Publisher out;

	}

	@FarineService("${t.service}")
	static class Listening extends Events {

		@Consume(exchange = "${t.service}", routingKey = "events", queue = "${t.service}.events")
		void on(Map<String, Integer> body) {
			this.seen.add(body.get("n"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import({ Listening.class, Transactions.class })
	static class Both {

	}

	@FarineService("${t.service}")
	static class HeadersSeen {

		final Map<Integer, Map<String, Object>> headers = new java.util.concurrent.ConcurrentHashMap<>();

		@Publish(exchange = "${t.service}", routingKey = "events")
		Publisher out;

		@Consume(exchange = "${t.service}", routingKey = "events", queue = "${t.service}.events")
		void on(Map<String, Integer> body, FarineMessage message) {
			this.headers.put(body.get("n"), Map.copyOf(message.headers()));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import({ HeadersSeen.class, Transactions.class })
	static class WithHeaders {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import({ Events.class, Transactions.class })
	static class PublisherOnly {

	}

	/** The tests' own transactions, as an application's service layer would open them. */
	@Configuration(proxyBeanMethods = false)
	static class Transactions {

		@org.springframework.context.annotation.Bean
		TransactionTemplate transactionTemplate(org.springframework.transaction.PlatformTransactionManager manager) {
			return new TransactionTemplate(manager);
		}

	}

}
