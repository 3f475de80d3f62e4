package io.farine.amqp;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.rabbitmq.client.GetResponse;
import io.farine.autoconfigure.FarineAutoConfiguration;
import io.farine.service.FarineService;
import io.farine.test.Rabbit;
import io.farine.test.TcpProxy;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a publish promises when things go wrong: one that timed out is never sent, however it was
 * wrapped (observed, here); publishes waiting for a connection are bounded; a publisher that is
 * not mandatory has its unroutable messages confirmed and counted, not failed.
 */
class PublishUnderFaultsIntegrationTests {

	private Rabbit rabbit;

	private String exchange;

	private String key;

	@BeforeEach
	void declare() throws Exception {
		this.rabbit = new Rabbit();
		this.exchange = Rabbit.unique("faults");
		this.key = Rabbit.unique("faults-key");
		this.rabbit.channel().exchangeDeclare(this.exchange, "direct", true);
		this.rabbit.channel().queueDeclare(this.key, true, false, false, null);
		this.rabbit.channel().queueBind(this.key, this.exchange, this.key);
	}

	@AfterEach
	void cleanUp() throws Exception {
		this.rabbit.deleteQuietly(this.key);
		this.rabbit.deleteExchangeQuietly(this.exchange);
		this.rabbit.close();
	}

	private ApplicationContextRunner runner(int port, String... properties) {
		ObservationRegistry observations = ObservationRegistry.create();
		observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(new SimpleMeterRegistry()));
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FarineAutoConfiguration.class))
			.withBean(ObservationRegistry.class, () -> observations)
			.withPropertyValues("farine.defaults.amqp_uri=amqp://guest:guest@127.0.0.1:" + port,
					"farine.defaults.auto_declare=false", "t.exchange=" + this.exchange, "t.key=" + this.key)
			.withPropertyValues(properties)
			.withUserConfiguration(Sender.class);
	}

	@Test
	void anObservedPublishThatTimedOutWhileTheBrokerWasOutOfReachIsNeverSent() throws Exception {
		int port = TcpProxy.freePort();
		runner(port, "farine.defaults.publish_timeout=1s").run((context) -> {
			Publisher out = context.getBean(Sender.class).out;
			// nothing listens yet: the publish waits on the sending thread, which retries to connect
			assertThatThrownBy(() -> out.publish(Map.of("n", 1))).isInstanceOf(PublishException.class)
				.hasMessageContaining("within PT1S");
			// the broker comes while the sending thread still tries: it must not send what the caller gave up
			try (TcpProxy broker = new TcpProxy(port, 5672)) {
				out.publish(Map.of("n", 2));
				assertThat(body(this.rabbit.take(this.key))).isEqualTo("{\"n\":2}");
				assertThat(this.rabbit.channel().messageCount(this.key)).isZero();
			}
		});
	}

	@Test
	void publishesBeyondPublishQueueLimitFailAtOnce() throws Exception {
		runner(TcpProxy.freePort(), "farine.defaults.publish_queue_limit=2", "farine.defaults.publish_timeout=30s")
			.run((context) -> {
				Publisher out = context.getBean(Sender.class).out;
				// nothing listens: the first is being tried, the second waits behind it, the third is one too many
				CompletableFuture<Void> first = out.publishAsync(Map.of("n", 1));
				CompletableFuture<Void> second = out.publishAsync(Map.of("n", 2));
				CompletableFuture<Void> third = out.publishAsync(Map.of("n", 3));
				assertThat(third).isCompletedExceptionally();
				assertThatThrownBy(third::join).cause()
					.isInstanceOf(PublishException.class)
					.hasMessageContaining("2 publishes already wait for the connection (publish_queue_limit)");
				assertThat(first).isNotDone();
				assertThat(second).isNotDone();
			});
	}

	@Test
	void aPublisherThatIsNotMandatoryHasWhatNoQueueTakesConfirmedAndCounted() throws Exception {
		runner(5672).run((context) -> {
			Sender sender = context.getBean(Sender.class);
			sender.optional.publish(Map.of("n", 1));
			assertThat(context.getBean(BrokerConnections.class).unroutablePublishes()).isEqualTo(1);
			assertThatThrownBy(() -> sender.required.publish(Map.of("n", 2)))
				.isInstanceOf(UnroutableMessageException.class);
		});
		runner(5672, "farine.services.faulty.publish_mandatory=false").run((context) -> {
			context.getBean(Sender.class).required.publish(Map.of("n", 3));
			assertThat(context.getBean(BrokerConnections.class).unroutablePublishes()).isEqualTo(1);
		});
	}

	private static String body(GetResponse response) {
		return new String(response.getBody(), StandardCharsets.UTF_8);
	}

	@FarineService("faulty")
	static class Sender {

		@Publish(exchange = "${t.exchange}", routingKey = "${t.key}")
		Publisher out;

		@Publish(exchange = "${t.exchange}", routingKey = "nobody-listens", mandatory = false)
		Publisher optional;

		@Publish(exchange = "${t.exchange}", routingKey = "nobody-listens")
		Publisher required;

	}

}
