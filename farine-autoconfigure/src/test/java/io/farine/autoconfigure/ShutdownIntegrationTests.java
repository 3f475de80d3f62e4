package io.farine.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.AMQP;
import io.farine.amqp.Consume;
import io.farine.amqp.Publish;
import io.farine.amqp.Publisher;
import io.farine.rpc.RpcClient;
import io.farine.rpc.RpcMethod;
import io.farine.rpc.RpcOperations;
import io.farine.service.FarineService;
import io.farine.test.Postgres;
import io.farine.test.Rabbit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * farine's shutdown order against RabbitMQ and PostgreSQL: intake stops first and everywhere at
 * once, handlers at work finish and answer, then the outbox sends what they stored, then the
 * registry goes, then the connections.
 */
class ShutdownIntegrationTests {

	private static Postgres database;

	private final String service = Rabbit.unique("shutdown");

	@BeforeAll
	static void createDatabase() throws Exception {
		database = new Postgres("shutdown");
	}

	@AfterAll
	static void dropDatabase() throws Exception {
		database.close();
	}

	@AfterEach
	void tearDown() throws Exception {
		try (Rabbit rabbit = new Rabbit()) {
			rabbit.deleteQuietly(this.service, this.service + ".dlq", this.service + "__work", this.service + "-in",
					this.service + "-in.dlq", this.service + ".events");
			rabbit.deleteExchangeQuietly(this.service);
		}
	}

	private ConfigurableApplicationContext start(Class<?> app, String... more) {
		List<String> args = new ArrayList<>(List.of("--farine.defaults.amqp_uri=" + Rabbit.URI,
				"--t.service=" + this.service, "--t.client=" + this.service + "-client"));
		args.addAll(List.of(more));
		return new SpringApplicationBuilder(app).web(WebApplicationType.NONE).run(args.toArray(String[]::new));
	}

	@Test
	void anInstanceStoppingDuringABurstLosesNoCallAndNoMessage() throws Exception {
		try (ConfigurableApplicationContext second = start(Workers.class);
				ConfigurableApplicationContext client = start(Clients.class)) {
			ConfigurableApplicationContext first = start(Workers.class);
			Worker stopping = first.getBean(Worker.class);
			Worker staying = second.getBean(Worker.class);
			Caller caller = client.getBean(Caller.class);
			List<CompletableFuture<Integer>> calls = new ArrayList<>();
			for (int i = 0; i < 400; i++) {
				calls.add(caller.workers.callAsync("work", Integer.class, i));
				caller.out.publishAsync(Map.of("n", i));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> stopping.served.get() + stopping.consumed.size() >= 50);
			first.close();
			for (int i = 0; i < calls.size(); i++) {
				assertThat(calls.get(i).get(30, TimeUnit.SECONDS)).as("call %d", i).isEqualTo(2 * i);
			}
			await().atMost(Duration.ofSeconds(30))
				.until(() -> stopping.consumed.size() + staying.consumed.size() >= 400);
			List<Integer> all = new ArrayList<>(stopping.consumed);
			all.addAll(staying.consumed);
			assertThat(all).hasSize(400).doesNotHaveDuplicates();
			assertThat(new HashSet<>(all)).hasSize(400);
			assertThat(stopping.served.get() + staying.served.get()).isEqualTo(400);
		}
	}

	@Test
	void whatAHandlerStoresInTheOutboxWhileStoppingIsSentBeforeTheConnectionsClose() throws Exception {
		try (Rabbit rabbit = new Rabbit()) {
			ConfigurableApplicationContext context = start(Relaying.class,
					"--spring.datasource.url=" + database.url(), "--spring.datasource.username=" + Postgres.USER);
			rabbit.channel().queueDeclare(this.service + ".events", false, false, false, null);
			rabbit.channel().queueBind(this.service + ".events", this.service, "out");
			Forwarder forwarder = context.getBean(Forwarder.class);
			rabbit.publish(this.service, "in", new AMQP.BasicProperties.Builder().contentType("application/json").build(),
					"{\"n\": 7}".getBytes(StandardCharsets.UTF_8));
			assertThat(forwarder.started.await(30, TimeUnit.SECONDS)).isTrue();
			Thread closing = new Thread(context::close, "closing");
			closing.start();
			// intake stopped (the consumer is cancelled) while the handler is still at work
			await().atMost(Duration.ofSeconds(30))
				.until(() -> rabbit.channel().consumerCount(this.service + "-in") == 0);
			forwarder.release.countDown();
			assertThat(new String(rabbit.take(this.service + ".events").getBody(), StandardCharsets.UTF_8))
				.isEqualTo("{\"n\":7}");
			closing.join(TimeUnit.SECONDS.toMillis(60));
			assertThat(closing.isAlive()).isFalse();
			assertThat(database.count("SELECT count(*) FROM farine_outbox")).isZero();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ JacksonAutoConfiguration.class, FarineAutoConfiguration.class })
	@Import(Worker.class)
	static class Workers {

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ JacksonAutoConfiguration.class, FarineAutoConfiguration.class })
	@Import(Caller.class)
	static class Clients {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(Forwarder.class)
	static class Relaying {

	}

	/** An instance of the service: serves {@code work} and consumes the service's queue. */
	@FarineService("${t.service}")
	static class Worker {

		final AtomicInteger served = new AtomicInteger();

		final List<Integer> consumed = new CopyOnWriteArrayList<>();

		@RpcMethod
		int work(int i) {
			this.served.incrementAndGet();
			return 2 * i;
		}

		@Consume
		void on(Map<String, Integer> body) {
			this.consumed.add(body.get("n"));
		}

	}

	@FarineService("${t.client}")
	static class Caller {

		@RpcClient("${t.service}")
		RpcOperations workers;

		@Publish(exchange = "${t.service}", routingKey = "${t.service}")
		Publisher out;

	}

	/** Forwards what it consumes, in its transaction (so through the outbox), once released. */
	@FarineService("${t.service}")
	static class Forwarder {

		final CountDownLatch started = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		@Publish(routingKey = "out")
		Publisher out;

		@Consume(routingKey = "in", queue = "${t.service}-in")
		void on(Map<String, Integer> body) throws InterruptedException {
			this.started.countDown();
			assertThat(this.release.await(30, TimeUnit.SECONDS)).isTrue();
			this.out.publish(body);
		}

	}

}
