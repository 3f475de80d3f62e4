package io.farine.samples.rpc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.farine.config.FarineProperties;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two commands the sample's farine.ini documents, in two processes' worth of contexts:
 * {@code --start=calculator} runs only the server, {@code --start=client} only the client, which
 * calls the server of the other.
 */
@ExtendWith(OutputCaptureExtension.class)
class RpcStartTests {

	@Test
	void startCalculatorServesAndStartClientCallsIt(CapturedOutput output) {
		try (ConfigurableApplicationContext server = new SpringApplicationBuilder(RpcApplication.class)
			.run("--start=calculator")) {
			assertThat(server.getBean(FarineProperties.class).runs("client")).isFalse();
			assertThat(output).doesNotContain("calculator.add(1, 2) =");
			// the client calls once the application is ready, so its results are logged when run returns
			try (ConfigurableApplicationContext client = new SpringApplicationBuilder(RpcApplication.class)
				.run("--start=client")) {
				assertThat(client.getBean(FarineProperties.class).runs("calculator")).isFalse();
				assertThat(output).contains("Service 'calculator' is not started")
					.contains("calculator.add(1, 2) = 3")
					.contains("calculator.add(40, 2), asynchronously = 42")
					.contains("calculator.echo(1, 'two', three=3) = {\"args\":[1,\"two\"],\"kwargs\":{\"three\":3}}")
					.contains("calculator.count(5) streamed [0, 1, 2, 3, 4]")
					.contains("calculator.boom() failed as expected");
			}
		}
	}

}
