package io.farine.security;

import java.time.Duration;
import java.util.Map;

import io.farine.config.FarineProperties;
import io.farine.service.FarineService;
import io.farine.sse.SseListener;
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
 * No configured secret shows in a log line, an exception or a failure report, whatever characters
 * it holds: the output of whole runs is scanned for each secret, raw and percent-encoded.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsTests {

	private static final String SECRET = "Zq9:w/r@d%&=+";

	private static final String ENCODED = "Zq9%3Aw%2Fr%40d%25%26%3D%2B";

	private static ConfigurableApplicationContext run(Class<?> service, String... arguments) {
		return new SpringApplicationBuilder(App.class, service).web(WebApplicationType.NONE).run(arguments);
	}

	private static void assertNoSecret(CapturedOutput output) {
		assertThat(output.getAll()).doesNotContain(SECRET)
			.doesNotContain(ENCODED)
			.doesNotContain("Zq9")
			.doesNotContain("r%40d");
	}

	@Test
	void aMalformedAmqpUriIsReportedWithoutItsPassword(CapturedOutput output) {
		assertThatThrownBy(() -> run(Quiet.class, "--farine.defaults.amqp_uri=amqp://guest:" + ENCODED + " x@127.0.0.1//"))
			.hasStackTraceContaining("amqp_uri is not a valid URI");
		assertNoSecret(output);
	}

	@Test
	void anUnreachableBrokerIsReportedWithoutItsPassword(CapturedOutput output) throws Exception {
		int port = TcpProxy.freePort();
		assertThatThrownBy(
				() -> run(Quiet.class, "--farine.defaults.amqp_uri=amqp://guest:" + ENCODED + "@127.0.0.1:" + port + "//"))
			.hasStackTraceContaining("cannot reach its RabbitMQ broker");
		assertNoSecret(output);
	}

	@Test
	void configurationObjectsPrintNoSecret(CapturedOutput output) {
		try (ConfigurableApplicationContext context = run(Nothing.class,
				"--farine.defaults.amqp_uri=amqp://guest:" + ENCODED + "@127.0.0.1:5672//",
				"--farine.defaults.etcd_password=" + SECRET, "--farine.services.quiet.db_password=" + SECRET,
				"--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/postgres", "--spring.datasource.username=postgres")) {
			System.out.println(context.getBean(FarineProperties.class));
		}
		assertNoSecret(output);
	}

	@Test
	void anSseTokenInTheUrlIsNotLoggedAtReconnects(CapturedOutput output) throws Exception {
		int port = TcpProxy.freePort();
		try (ConfigurableApplicationContext context = run(Listening.class,
				"--t.url=http://127.0.0.1:" + port + "/events?token=" + ENCODED,
				"--farine.defaults.sse_reconnect_delay=20ms", "--farine.defaults.sse_reconnect_max_delay=40ms")) {
			await().atMost(Duration.ofSeconds(20)).until(() -> output.getAll().contains("reconnecting"));
		}
		assertNoSecret(output);
	}

	@FarineService("quiet")
	static class Quiet {

		@io.farine.amqp.Consume(exchange = "secrets-quiet", routingKey = "secrets-quiet")
		void on(Map<String, Object> body) {
		}

	}

	@FarineService("listening")
	static class Listening {

		@SseListener(endpoint = "${t.url}", headers = "Authorization: Bearer " + SECRET)
		void on(String data) {
		}

	}

	static class Nothing {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

	}

}
