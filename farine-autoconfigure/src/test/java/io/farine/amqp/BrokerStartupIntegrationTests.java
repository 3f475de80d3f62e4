package io.farine.amqp;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.farine.config.UnknownServiceException;
import io.farine.service.FarineService;
import io.farine.test.Rabbit;
import io.farine.test.TcpProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Start-up against a broker that is not there: a report instead of a stack trace, a wait for a
 * broker that comes up late ({@code amqp_wait_at_start}), and a {@code --start} naming no service.
 */
@ExtendWith(OutputCaptureExtension.class)
class BrokerStartupIntegrationTests {

	private static final String QUEUE = Rabbit.unique("startup");

	private static ConfigurableApplicationContext run(String... arguments) {
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.properties("test.queue=" + QUEUE)
			.run(arguments);
	}

	@Test
	void anUnreachableBrokerStopsStartUpWithAReportAndTheWaysOutPasswordMasked(CapturedOutput output)
			throws Exception {
		int port = TcpProxy.freePort();
		assertThatThrownBy(() -> run("--farine.defaults.amqp_uri=amqp://app:T0p%40Secret@127.0.0.1:" + port + "//"))
			.hasRootCauseInstanceOf(java.net.ConnectException.class);
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Service 'inbox' cannot reach its RabbitMQ broker at amqp://app:***@127.0.0.1:" + port
					+ "/%2F: Connection refused")
			.contains("start RabbitMQ at", "set amqp_uri in the [inbox] section", "io.farine:farine-dev",
					"amqp_wait_at_start")
			.doesNotContain("T0p")
			.doesNotContain("Secret");
	}

	@Test
	void withAmqpWaitAtStartAServiceWaitsForABrokerThatComesUpLate(CapturedOutput output) throws Exception {
		int port = TcpProxy.freePort();
		CompletableFuture<ConfigurableApplicationContext> started = CompletableFuture.supplyAsync(
				() -> run("--farine.defaults.amqp_uri=amqp://guest:guest@127.0.0.1:" + port + "//",
						"--farine.defaults.amqp_wait_at_start=60"));
		await().atMost(Duration.ofSeconds(30)).until(() -> output.getOut().contains("waits up to 60 s for the broker"));
		assertThat(started).isNotDone();
		try (TcpProxy broker = new TcpProxy(port, 5672);
				ConfigurableApplicationContext context = started.get(60, TimeUnit.SECONDS);
				Rabbit rabbit = new Rabbit()) {
			assertThat(context.isRunning()).isTrue();
			assertThat(rabbit.queueExists(QUEUE)).isTrue();
			rabbit.deleteQuietly(QUEUE, QUEUE + ".dlq");
		}
	}

	@Test
	void startNamingAServiceThatDoesNotExistListsTheOnesThatDo(CapturedOutput output) {
		assertThatThrownBy(() -> run("--farine.defaults.amqp_uri=" + Rabbit.URI, "--start=inbx"))
			.isInstanceOf(UnknownServiceException.class);
		assertThat(output).contains("--start names a service that does not exist: inbx. The services are: inbox.");
	}

	@Test
	void aSettingThatWouldSpinOrHangStopsStartUpNamingTheKey(CapturedOutput output) {
		assertThatThrownBy(() -> run("--farine.defaults.amqp_uri=" + Rabbit.URI,
				"--farine.services.inbox.execute_shutdown_grace=0"))
			.hasRootCauseInstanceOf(io.farine.config.InvalidSettingException.class);
		assertThat(output).contains("A farine setting is not valid: [inbox] execute_shutdown_grace = PT0S is not valid: "
				+ "expected a positive duration. It is set at \"farine.services.inbox.execute_shutdown_grace\" from property source "
				+ "\"commandLineArgs\".");
	}

	@Test
	void anOutOfRangeValueInTheIniFileIsReportedWithItsFileAndLine(CapturedOutput output,
			@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
		java.nio.file.Path ini = dir.resolve("farine.ini");
		java.nio.file.Files.writeString(ini, "[DEFAULT]\namqp_uri = " + Rabbit.URI + "\n\n[inbox]\ndelivery_mode = 3\n");
		assertThatThrownBy(() -> run("--FARINE_INI=" + ini))
			.hasRootCauseInstanceOf(io.farine.config.InvalidSettingException.class);
		assertThat(output).contains("[inbox] delivery_mode = 3 is not valid: expected 1 or 2. It is set at " + ini
				+ ":5 [inbox] delivery_mode.");
	}

	@FarineService("inbox")
	static class Inbox {

		@Consume(exchange = "${test.queue}", routingKey = "${test.queue}")
		void on(String body) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(Inbox.class)
	static class App {

	}

}
