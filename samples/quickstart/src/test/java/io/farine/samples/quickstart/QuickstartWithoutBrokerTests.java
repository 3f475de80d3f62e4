package io.farine.samples.quickstart;

import java.net.ServerSocket;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The quickstart on a machine without RabbitMQ, played by pointing it at a loopback port where
 * nothing listens: with farine-dev an embedded broker carries its messages and RPC; with
 * farine-dev switched off, start-up stops with the report, the password masked.
 */
@ExtendWith(OutputCaptureExtension.class)
class QuickstartWithoutBrokerTests {

	private static int freePort() throws Exception {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	@Test
	void withFarineDevTheEmbeddedBrokerCarriesMessagesAndRpc(CapturedOutput output) throws Exception {
		int port = freePort();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(QuickstartApplication.class)
			.run("--farine.defaults.amqp_uri=amqp://guest:guest@127.0.0.1:" + port + "//")) {
			assertThat(output).contains("started an embedded AMQP broker");
			await().atMost(Duration.ofSeconds(30)).until(() -> context.getBean(Greetings.class).received() >= 2);
			await().atMost(Duration.ofSeconds(30)).until(() -> context.getBean(GreetingsClient.class).received() >= 1);
		}
	}

	@Test
	void withFarineDevOffAMissingBrokerStopsStartUpWithTheReport(CapturedOutput output) throws Exception {
		int port = freePort();
		assertThatThrownBy(() -> new SpringApplicationBuilder(QuickstartApplication.class).run(
				"--farine.defaults.amqp_uri=amqp://guest:Hush-Hush@127.0.0.1:" + port + "//",
				"--farine.dev.enabled=false"))
			.hasStackTraceContaining("cannot reach its RabbitMQ broker");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("cannot reach its RabbitMQ broker at amqp://guest:***@127.0.0.1:" + port + "/%2F")
			.contains("io.farine:farine-dev")
			.doesNotContain("Hush-Hush");
	}

}
