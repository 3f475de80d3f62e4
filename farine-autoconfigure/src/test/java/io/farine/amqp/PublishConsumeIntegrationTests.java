package io.farine.amqp;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import io.farine.autoconfigure.FarineAutoConfiguration;
import io.farine.service.FarineService;
import io.farine.test.Rabbit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code @Publish} and {@code @Consume} against the local RabbitMQ. Every test uses its own
 * exchange and routing key, so tests run in any order.
 */
class PublishConsumeIntegrationTests {

	private final Rabbit rabbit;

	private String exchange;

	private String key;

	private ApplicationContextRunner runner;

	PublishConsumeIntegrationTests() throws Exception {
		this.rabbit = new Rabbit();
	}

	@BeforeEach
	void names() {
		this.exchange = Rabbit.unique("ex");
		this.key = Rabbit.unique("key");
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FarineAutoConfiguration.class))
			.withPropertyValues("farine.defaults.amqp_uri=" + Rabbit.URI, "t.exchange=" + this.exchange,
					"t.key=" + this.key, "farine.defaults.consume_retry_delay=10ms",
					"farine.defaults.consume_retry_max_delay=50ms");
	}

	@AfterEach
	void cleanUp() throws Exception {
		this.rabbit.deleteQuietly(this.key, this.key + ".dlq");
		this.rabbit.close();
	}

	@Test
	void recordPublishedByOneServiceReachesTheConsumerOfAnother() {
		this.runner.withUserConfiguration(Orders.class, Billing.class).run((context) -> {
			context.getBean(Billing.class).orders.publish(new Order("o-1", 3));
			assertThat(context.getBean(Orders.class).received.poll(10, TimeUnit.SECONDS)).isEqualTo(new Order("o-1", 3));
		});
	}

	@Test
	void mapAndStringBodiesArriveAsPublished() {
		this.runner.withUserConfiguration(Anything.class).run((context) -> {
			Anything service = context.getBean(Anything.class);
			Map<String, Object> body = Map.of("id", 1, "tags", List.of("a", "b"));
			service.publisher.publish(body, PublishOptions.DEFAULTS.withRoutingKey(this.key + "-map"));
			service.publisher.publish(Map.of("id", 2));
			service.publisher.publish("plain text");
			assertThat(service.maps.poll(10, TimeUnit.SECONDS)).isEqualTo(body);
			assertThat(service.texts.poll(10, TimeUnit.SECONDS)).isEqualTo("{\"id\":2}");
			assertThat(service.texts.poll(10, TimeUnit.SECONDS)).isEqualTo("plain text");
			this.rabbit.deleteQuietly(this.key + "-map", this.key + "-map.dlq");
		});
	}

	@Test
	void manyAsynchronousPublishesAreConfirmedAndConsumed() {
		this.runner.withUserConfiguration(Orders.class, Billing.class).run((context) -> {
			Publisher publisher = context.getBean(Billing.class).orders;
			CompletableFuture<?>[] confirms = new CompletableFuture<?>[500];
			for (int i = 0; i < confirms.length; i++) {
				confirms[i] = publisher.publishAsync(new Order("o-" + i, i));
			}
			CompletableFuture.allOf(confirms).get(30, TimeUnit.SECONDS);
			BlockingQueue<Order> received = context.getBean(Orders.class).received;
			await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == confirms.length);
		});
	}

	@Test
	void aDecimalInABodyArrivesWithEveryDigit() {
		this.runner.withUserConfiguration(Invoices.class).run((context) -> {
			Invoices invoices = context.getBean(Invoices.class);
			Invoice sent = new Invoice("i-1", new BigDecimal("0.10000000000000000000001"));
			invoices.publisher.publish(sent);
			assertThat(invoices.received.poll(10, TimeUnit.SECONDS)).isEqualTo(sent);
		});
	}

	@Test
	void blockingPublishInAConfirmCallbackDoesNotStallLaterConfirms() {
		this.runner.withUserConfiguration(Orders.class, Billing.class).run((context) -> {
			Publisher publisher = context.getBean(Billing.class).orders;
			publisher.publishAsync(new Order("first", 1))
				.thenRun(() -> publisher.publish(new Order("second", 2)))
				.get(5, TimeUnit.SECONDS);
			BlockingQueue<Order> received = context.getBean(Orders.class).received;
			assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(new Order("first", 1));
			assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(new Order("second", 2));
		});
	}

	@Test
	void topicConsumerGetsOnlyTheKeysItsPatternMatches() {
		this.runner.withUserConfiguration(TopicListener.class)
			.withPropertyValues("farine.services.topiclistener.type=topic")
			.run((context) -> {
				TopicListener service = context.getBean(TopicListener.class);
				service.publisher.publish(Map.of("n", 1), PublishOptions.DEFAULTS.withRoutingKey(this.key + ".eu"));
				assertThat(service.received.poll(10, TimeUnit.SECONDS)).containsEntry("n", 1);
				assertThatThrownBy(() -> service.publisher.publish(Map.of("n", 2),
						PublishOptions.DEFAULTS.withRoutingKey("other." + this.key)))
					.isInstanceOf(UnroutableMessageException.class)
					.hasMessageContaining(this.exchange);
			});
		this.rabbit.deleteQuietly(this.key + ".*", this.key + ".*.dlq");
	}

	@Test
	void broadcastDeliversEveryMessageToEveryRunningInstance() {
		ApplicationContextRunner broadcast = this.runner.withUserConfiguration(Broadcaster.class)
			.withPropertyValues("farine.services.broadcaster.type=broadcast");
		broadcast.run((first) -> broadcast.run((second) -> {
			first.getBean(Broadcaster.class).publisher.publish(Map.of("hello", "all"));
			assertThat(first.getBean(Broadcaster.class).received.poll(10, TimeUnit.SECONDS)).containsEntry("hello", "all");
			assertThat(second.getBean(Broadcaster.class).received.poll(10, TimeUnit.SECONDS)).containsEntry("hello", "all");
		}));
	}

	@Test
	void messageWithTimeToLiveExpiresWhenNobodyConsumesIt() throws Exception {
		String queue = Rabbit.unique("ttl");
		this.runner.withUserConfiguration(Billing.class).run((context) -> {
			this.rabbit.channel().queueDeclare(queue, false, false, true, null);
			this.rabbit.channel().queueBind(queue, this.exchange, this.key);
			Publisher publisher = context.getBean(Billing.class).orders;
			publisher.publish(new Order("short-lived", 1), PublishOptions.DEFAULTS.withTtl(Duration.ofMillis(200)));
			publisher.publish(new Order("kept", 1));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.rabbit.channel().messageCount(queue) == 1);
			GetResponse kept = this.rabbit.take(queue);
			assertThat(new String(kept.getBody(), StandardCharsets.UTF_8)).contains("kept");
		});
		this.rabbit.deleteQuietly(queue);
	}

	@Test
	void failingHandlerIsRetriedThenDeadLetteredWithTheError() {
		this.runner.withUserConfiguration(Failing.class, Billing.class)
			.withPropertyValues("farine.services.failing.consume_retries=2")
			.run((context) -> {
				context.getBean(Billing.class).orders.publish(new Order("bad", 1));
				GetResponse dead = this.rabbit.take(this.key + ".dlq");
				Map<String, Object> headers = dead.getProps().getHeaders();
				assertThat(headers.get("x-exception-type")).hasToString(IllegalStateException.class.getName());
				assertThat(headers.get("x-exception-message")).hasToString("no stock for bad");
				assertThat(headers.get("x-original-queue")).hasToString(this.key);
				assertThat(headers.get("x-original-exchange")).hasToString(this.exchange);
				assertThat(headers.get("x-attempts")).isEqualTo(3);
				assertThat(context.getBean(Failing.class).calls.get()).isEqualTo(3);
				assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"bad\",\"qty\":1}");
				assertThat(dead.getProps().getContentType()).isEqualTo("application/json");
				assertThat(this.rabbit.channel().messageCount(this.key)).isZero();
			});
	}

	@Test
	void malformedJsonIsDeadLetteredAtOnceAndTheConsumerKeepsRunning() {
		this.runner.withUserConfiguration(Orders.class).run((context) -> {
			this.rabbit.publish(this.exchange, this.key, json(), "{not json".getBytes(StandardCharsets.UTF_8));
			this.rabbit.publish(this.exchange, this.key, json(),
					"{\"id\":\"o-2\",\"qty\":\"many\"}".getBytes(StandardCharsets.UTF_8));
			this.rabbit.publish(this.exchange, this.key, json(),
					"{\"id\":\"o-3\",\"qty\":3}".getBytes(StandardCharsets.UTF_8));
			assertThat(context.getBean(Orders.class).received.poll(10, TimeUnit.SECONDS)).isEqualTo(new Order("o-3", 3));
			GetResponse notJson = this.rabbit.take(this.key + ".dlq");
			assertThat(new String(notJson.getBody(), StandardCharsets.UTF_8)).isEqualTo("{not json");
			assertThat(notJson.getProps().getHeaders().get("x-exception-message").toString())
				.startsWith("Body is not valid JSON");
			assertThat(notJson.getProps().getHeaders().get("x-attempts")).isEqualTo(0);
			GetResponse wrongType = this.rabbit.take(this.key + ".dlq");
			assertThat(wrongType.getProps().getHeaders().get("x-exception-message").toString())
				.contains("Cannot convert", "Order", "Orders.onOrder");
		});
	}

	@Test
	void handlerCanReadHeadersAndRejectToTheDeadLetterQueue() {
		this.runner.withUserConfiguration(Inspector.class).run((context) -> {
			Inspector service = context.getBean(Inspector.class);
			service.publisher.publish(Map.of("verdict", "reject"), PublishOptions.DEFAULTS.withHeader("x-tenant", "acme"));
			assertThat(service.tenants.poll(10, TimeUnit.SECONDS)).isEqualTo("acme");
			GetResponse dead = this.rabbit.take(this.key + ".dlq");
			assertThat(dead.getProps().getHeaders().get("x-exception-message")).hasToString("rejected by handler");
			assertThat(dead.getProps().getHeaders().get("x-tenant")).hasToString("acme");
		});
	}

	@Test
	void publishingWhereNoQueueIsBoundFailsInsteadOfDroppingTheMessage() {
		this.runner.withUserConfiguration(Billing.class).run((context) -> {
			Publisher publisher = context.getBean(Billing.class).orders;
			assertThatThrownBy(() -> publisher.publish(new Order("lost?", 1)))
				.isInstanceOf(UnroutableMessageException.class)
				.hasMessageContaining("no queue is bound");
			assertThat(publisher.publishAsync(new Order("lost?", 2))).failsWithin(Duration.ofSeconds(10))
				.withThrowableThat()
				.havingCause()
				.isInstanceOf(UnroutableMessageException.class);
		});
	}

	@Test
	void disabledServiceDoesNotConsume() {
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("farine.services.orders.enabled=false")
			.run((context) -> assertThat(this.rabbit.queueExists(this.key)).isFalse());
	}

	@Test
	void startOptionRunsOnlyTheNamedServices() {
		this.runner.withUserConfiguration(Orders.class, Billing.class)
			.withPropertyValues("farine.start=billing")
			.run((context) -> assertThat(this.rabbit.queueExists(this.key)).isFalse());
		this.runner.withUserConfiguration(Orders.class, Billing.class)
			.withPropertyValues("farine.start=billing,orders")
			.run((context) -> assertThat(this.rabbit.queueExists(this.key)).isTrue());
	}

	static AMQP.BasicProperties json() {
		return new AMQP.BasicProperties.Builder().contentType("application/json").contentEncoding("utf-8").build();
	}

	record Order(String id, int qty) {
	}

	record Invoice(String id, BigDecimal amount) {
	}

	@FarineService("invoices")
	static class Invoices {

		final BlockingQueue<Invoice> received = new LinkedBlockingQueue<>();

		@Publish(exchange = "${t.exchange}", routingKey = "${t.key}")
		Publisher publisher;

		@Consume(exchange = "${t.exchange}", routingKey = "${t.key}")
		void on(Invoice invoice) {
			this.received.add(invoice);
		}

	}

	@FarineService("orders")
	static class Orders {

		final BlockingQueue<Order> received = new LinkedBlockingQueue<>();

		@Consume(exchange = "${t.exchange}", routingKey = "${t.key}")
		void onOrder(Order order) {
			this.received.add(order);
		}

	}

	@FarineService("billing")
	static class Billing {

		@Publish(exchange = "${t.exchange}", routingKey = "${t.key}")
		Publisher orders;

	}

	@FarineService("anything")
	static class Anything {

		final BlockingQueue<Map<String, Object>> maps = new LinkedBlockingQueue<>();

		final BlockingQueue<String> texts = new LinkedBlockingQueue<>();

		@Publish(exchange = "${t.exchange}", routingKey = "${t.key}")
		Publisher publisher;

		@Consume(exchange = "${t.exchange}", routingKey = "${t.key}")
		void onText(String text) {
			this.texts.add(text);
		}

		@Consume(exchange = "${t.exchange}", routingKey = "${t.key}-map")
		void onMap(Map<String, Object> map) {
			this.maps.add(map);
		}

	}

	static class TopicListener {

		final BlockingQueue<Map<String, Object>> received = new LinkedBlockingQueue<>();

		@Publish(exchange = "${t.exchange}", routingKey = "${t.key}")
		Publisher publisher;

		@Consume(exchange = "${t.exchange}", routingKey = "${t.key}.*")
		void on(Map<String, Object> body) {
			this.received.add(body);
		}

	}

	static class Broadcaster {

		final BlockingQueue<Map<String, Object>> received = new LinkedBlockingQueue<>();

		@Publish(exchange = "${t.exchange}", routingKey = "${t.key}")
		Publisher publisher;

		@Consume(exchange = "${t.exchange}", routingKey = "${t.key}")
		void on(Map<String, Object> body) {
			this.received.add(body);
		}

	}

	static class Failing {

		final AtomicInteger calls = new AtomicInteger();

		@Consume(exchange = "${t.exchange}", routingKey = "${t.key}")
		void on(Order order) {
			this.calls.incrementAndGet();
			throw new IllegalStateException("no stock for " + order.id());
		}

	}

	static class Inspector {

		final BlockingQueue<String> tenants = new LinkedBlockingQueue<>();

		@Publish(exchange = "${t.exchange}", routingKey = "${t.key}")
		Publisher publisher;

		@Consume(exchange = "${t.exchange}", routingKey = "${t.key}")
		void on(Map<String, Object> body, FarineMessage message) {
			this.tenants.add(String.valueOf(message.headers().get("x-tenant")));
			if ("reject".equals(body.get("verdict"))) {
				message.reject();
			}
		}

	}

}
