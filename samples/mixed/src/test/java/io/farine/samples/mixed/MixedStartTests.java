package io.farine.samples.mixed;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.farine.config.FarineProperties;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The services run apart, as {@link MixedApplication} documents: {@code --start=analyzer} in one
 * context, {@code --start=forwarder} in another, which forwards the events of its own feed to the
 * first over RPC.
 */
class MixedStartTests {

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	@Test
	void startAnalyzerAndStartForwarderRunApart() throws Exception {
		try (ConfigurableApplicationContext analyzer = new SpringApplicationBuilder(MixedApplication.class)
			.run("--start=analyzer", "--server.port=" + freePort());
				ConfigurableApplicationContext forwarder = new SpringApplicationBuilder(MixedApplication.class)
					.run("--start=forwarder", "--server.port=" + freePort())) {
			assertThat(analyzer.getBean(FarineProperties.class).runs("forwarder")).isFalse();
			assertThat(forwarder.getBean(FarineProperties.class).runs("analyzer")).isFalse();
			await().atMost(Duration.ofSeconds(30)).until(() -> !forwarder.getBean(Forwarder.class).answers().isEmpty());
			assertThat(analyzer.getBean(Forwarder.class).answers()).isEmpty();
		}
	}

}
