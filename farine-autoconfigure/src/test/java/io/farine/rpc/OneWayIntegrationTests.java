package io.farine.rpc;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import com.rabbitmq.client.AMQP;
import io.farine.autoconfigure.FarineAutoConfiguration;
import io.farine.service.FarineService;
import io.farine.test.Rabbit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * One-way calls (snakemq's {@code as_signal}) between a Java client and a Java server on the
 * local RabbitMQ: the method runs, nothing is sent back, and the caller does not wait; a request
 * with no {@code reply_to} at all is served without a reply or an error.
 */
@ExtendWith(OutputCaptureExtension.class)
class OneWayIntegrationTests {

	private String service;

	private ApplicationContextRunner runner;

	@BeforeEach
	void names() {
		this.service = Rabbit.unique("oneway");
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FarineAutoConfiguration.class))
			.withPropertyValues("farine.defaults.amqp_uri=" + Rabbit.URI, "t.service=" + this.service);
	}

	@AfterEach
	void cleanUp() throws Exception {
		try (Rabbit rabbit = new Rabbit()) {
			rabbit.deleteQuietly(this.service + "__note", this.service + "__count", this.service + ".probe");
			rabbit.deleteExchangeQuietly(this.service);
		}
	}

	@Test
	void aOneWayCallRunsTheMethodAndNothingComesBack(CapturedOutput output) {
		this.runner.withUserConfiguration(Notes.class, Clients.class).run((context) -> {
			try (Rabbit rabbit = new Rabbit()) {
				// where a server that replied anyway would send its frames
				String probe = this.service + ".probe";
				rabbit.channel().queueDeclare(probe, false, false, false, null);
				rabbit.channel().queueBind(probe, this.service, RpcFrames.ONE_WAY_REPLY_TO);
				Notes notes = context.getBean(Notes.class);
				NotesClient client = context.getBean(NotesClient.class);
				RpcOperations dynamic = context.getBean(Clients.class).notes;

				client.note("void");
				client.noteConfirmed("future").join();
				dynamic.signal("note", "dynamic").join();
				await().atMost(Duration.ofSeconds(10)).until(() -> notes.received.size() == 3);
				assertThat(notes.received).containsExactlyInAnyOrder("void", "future", "dynamic");
				assertThat(context.getBean(RpcClientFactory.class).inFlight()).isZero();

				// a plain call after them, served on the same channel: any frame of theirs came first
				assertThat(dynamic.call("count", Integer.class)).isEqualTo(3);
				assertThat(rabbit.channel().basicGet(probe, true)).as("a frame sent back for a one-way call").isNull();
				assertThat(output).doesNotContain("ERROR").doesNotContain("Could not send a reply frame");
			}
		});
	}

	@Test
	void aRequestWithoutReplyToIsServedWithoutReplyOrError(CapturedOutput output) {
		this.runner.withUserConfiguration(Notes.class, Clients.class).run((context) -> {
			try (Rabbit rabbit = new Rabbit()) {
				Notes notes = context.getBean(Notes.class);
				AMQP.BasicProperties bare = new AMQP.BasicProperties.Builder().contentType("application/json").build();
				rabbit.publish(this.service, this.service + "__note", bare,
						"{\"args\": [\"bare\"], \"kwargs\": {}}".getBytes(StandardCharsets.UTF_8));
				await().atMost(Duration.ofSeconds(10)).until(() -> notes.received.contains("bare"));
				// still serving, and said nothing about the reply it did not send
				assertThat(context.getBean(Clients.class).notes.call("count", Integer.class)).isEqualTo(1);
				assertThat(output).doesNotContain("ERROR").doesNotContain("Could not send a reply frame");
			}
		});
	}

	@Test
	void aOneWayCallNoServerTakesFailsItsFuture() throws Exception {
		try (Rabbit rabbit = new Rabbit()) {
			rabbit.channel().exchangeDeclare(this.service, "direct", true);
		}
		this.runner.withUserConfiguration(Clients.class).run((context) -> {
			CompletableFuture<Void> sent = context.getBean(NotesClient.class).noteConfirmed("lost");
			assertThat(sent).failsWithin(Duration.ofSeconds(10))
				.withThrowableThat()
				.havingRootCause()
				.isInstanceOf(io.farine.amqp.UnroutableMessageException.class);
			assertThatThrownBy(sent::join).hasCauseInstanceOf(RpcUnroutableException.class)
				.hasMessageContaining("No server of " + this.service + ".note took the one-way request");
		});
	}

	@Test
	void aOneWayMethodThatReturnsAResultFailsAtStartUp() {
		this.runner.withUserConfiguration(BadClients.class).run((context) -> assertThat(context).getFailure()
			.rootCause()
			.hasMessage("@OneWay BadClient.note returns java.lang.String; a one-way call has no result: use void "
					+ "or CompletableFuture<Void>."));
	}

	@FarineService("${t.service}")
	static class Notes {

		final List<String> received = new CopyOnWriteArrayList<>();

		@RpcMethod
		void note(String text) {
			this.received.add(text);
		}

		@RpcMethod
		int count() {
			return this.received.size();
		}

	}

	@RpcClient("${t.service}")
	interface NotesClient {

		@OneWay
		void note(String text);

		@OneWay
		@RpcCall(name = "note")
		CompletableFuture<Void> noteConfirmed(String text);

	}

	@RpcClient("${t.service}")
	interface BadClient {

		@OneWay
		String note(String text);

	}

	@Configuration(proxyBeanMethods = false)
	static class Clients {

		@RpcClient("${t.service}")
		RpcOperations notes;

		@Bean
		NotesClient notesClient(RpcClientFactory factory) {
			return factory.client(NotesClient.class);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BadClients {

		@Bean
		BadClient badClient(RpcClientFactory factory) {
			return factory.client(BadClient.class);
		}

	}

}
