package io.farine.amqp;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

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
 * Messages a handler cannot take end in a dead-letter queue in every configuration, once, and
 * stay there: broadcast consumers and {@code auto_declare = false} included, the copy without the
 * original's expiration.
 */
class DeadLetterIntegrationTests {

	private final Rabbit rabbit;

	private String exchange;

	private String key;

	private ApplicationContextRunner runner;

	DeadLetterIntegrationTests() throws Exception {
		this.rabbit = new Rabbit();
	}

	@BeforeEach
	void names() {
		this.exchange = Rabbit.unique("dlx");
		this.key = Rabbit.unique("dlk");
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FarineAutoConfiguration.class))
			.withPropertyValues("farine.defaults.amqp_uri=" + Rabbit.URI, "t.exchange=" + this.exchange,
					"t.key=" + this.key, "farine.defaults.consume_retries=1",
					"farine.defaults.consume_retry_delay=10ms");
	}

	@AfterEach
	void cleanUp() throws Exception {
		this.rabbit.deleteQuietly(this.key, this.key + ".dlq");
		this.rabbit.deleteExchangeQuietly(this.exchange);
		this.rabbit.close();
	}

	@Test
	void aBroadcastConsumersPoisonMessageIsDeadLetteredOnceNotRequeuedForEver() {
		this.runner.withUserConfiguration(Poisoned.class)
			.withPropertyValues("farine.services.poisoned.type=broadcast")
			.run((context) -> {
				context.getBean(Poisoned.class).out.publish(Map.of("n", 1));
				GetResponse dead = this.rabbit.take(this.key + ".dlq");
				assertThat(dead.getProps().getHeaders()).containsEntry("x-attempts", 2);
				assertThat(context.getBean(Poisoned.class).calls.get()).isEqualTo(2);
			});
	}

	@Test
	void withAutoDeclareFalseTheDeadLetterQueueIsStillThere() throws Exception {
		this.rabbit.channel().exchangeDeclare(this.exchange, "direct", true);
		this.rabbit.channel().queueDeclare(this.key, true, false, false, null);
		this.rabbit.channel().queueBind(this.key, this.exchange, this.key);
		this.runner.withUserConfiguration(Poisoned.class)
			.withPropertyValues("farine.services.poisoned.auto_declare=false")
			.run((context) -> {
				context.getBean(Poisoned.class).out.publish(Map.of("n", 2));
				GetResponse dead = this.rabbit.take(this.key + ".dlq");
				assertThat(dead.getProps().getHeaders()).containsEntry("x-attempts", 2);
			});
	}

	@Test
	void theDeadLetteredCopyHasNoExpirationSoItStays() {
		this.runner.withUserConfiguration(Poisoned.class).run((context) -> {
			context.getBean(Poisoned.class).out.publish(Map.of("n", 3),
					PublishOptions.DEFAULTS.withTtl(Duration.ofMinutes(1)));
			GetResponse dead = this.rabbit.take(this.key + ".dlq");
			assertThat(dead.getProps().getExpiration()).isNull();
		});
	}

	@Test
	void aMessageOverMaxMessageSizeIsNotPublishedAndOneConsumedIsDeadLettered() throws Exception {
		this.runner.withUserConfiguration(Poisoned.class)
			.withPropertyValues("farine.defaults.max_message_size=1KB")
			.run((context) -> {
				String big = "x".repeat(2048);
				assertThatThrownBy(() -> context.getBean(Poisoned.class).out.publish(big))
					.isInstanceOf(PublishException.class)
					.hasMessageContaining("is larger than max_message_size of service 'poisoned' (1024 bytes)");
				this.rabbit.publish(this.exchange, this.key, PublishConsumeIntegrationTests.json(),
						("\"" + big + "\"").getBytes(java.nio.charset.StandardCharsets.UTF_8));
				GetResponse dead = this.rabbit.take(this.key + ".dlq");
				assertThat(dead.getProps().getHeaders().get("x-exception-message").toString())
					.contains("The body of 2050 bytes is larger than max_message_size (1024 bytes)");
				assertThat(context.getBean(Poisoned.class).calls.get()).isZero();
			});
	}

	@Test
	void aMessageWhoseHeadersNearlyFillAFrameIsDeadLetteredWithoutThemInsteadOfLoopingAndLeakingChannels() {
		String application = Rabbit.unique("dl-frame");
		this.runner.withUserConfiguration(Poisoned.class)
			.withPropertyValues("spring.application.name=" + application)
			.run((context) -> {
				Map<String, Object> headers = Map.of("x-big", "b".repeat(130_700), "x-tenant", "acme");
				this.rabbit.publish(this.exchange, this.key,
						PublishConsumeIntegrationTests.json().builder().headers(headers).messageId("m-big").build(),
						"not json".getBytes(java.nio.charset.StandardCharsets.UTF_8));
				GetResponse dead = this.rabbit.take(this.key + ".dlq");
				assertThat(dead.getProps().getHeaders()).containsKey("x-tenant").doesNotContainKey("x-big");
				assertThat(dead.getProps().getHeaders().get("x-exception-message").toString())
					.contains("headers dropped from this copy so that it fits in a frame of 131072 bytes: x-big (");
				assertThat(new String(dead.getBody(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("not json");
				// the consumer goes on, on as many channels as before
				context.getBean(Poisoned.class).out.publish(Map.of("n", 4));
				assertThat(this.rabbit.take(this.key + ".dlq").getProps().getHeaders()).containsEntry("x-attempts", 2);
				assertThat(Rabbit.channelsOf(application)).isLessThanOrEqualTo(4);
			});
	}

	@Test
	void aMessageThatCannotBeDeadLetteredAtAllIsRejectedOnceNotRequeuedForEver() {
		this.runner.withUserConfiguration(Poisoned.class).run((context) -> {
			this.rabbit.deleteQuietly(this.key + ".dlq");
			Poisoned poisoned = context.getBean(Poisoned.class);
			poisoned.out.publish(Map.of("n", 5));
			poisoned.out.publish(Map.of("n", 6));
			await().atMost(Duration.ofSeconds(20)).until(() -> poisoned.bodies.stream().filter("{n=6}"::equals).count() == 2);
			// a message requeued for ever is always in its queue, ready or unacknowledged
			await().atMost(Duration.ofSeconds(20)).until(() -> Rabbit.messagesIn(this.key) == 0);
			assertThat(poisoned.bodies.stream().filter("{n=5}"::equals).count()).isEqualTo(2);
		});
	}

	@FarineService("poisoned")
	static class Poisoned {

		final AtomicInteger calls = new AtomicInteger();

		final java.util.List<String> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();

		@Publish(exchange = "${t.exchange}", routingKey = "${t.key}")
		Publisher out;

		@Consume(exchange = "${t.exchange}", routingKey = "${t.key}")
		void on(Map<String, Object> body) {
			this.calls.incrementAndGet();
			this.bodies.add(String.valueOf(body));
			throw new IllegalStateException("poison " + body);
		}

	}

}
