package io.farine.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;

import io.farine.amqp.Consume;
import io.farine.config.FarineProperties;
import io.farine.config.UnknownServiceException;
import io.farine.rpc.RpcClient;
import io.farine.rpc.RpcOperations;
import io.farine.service.FarineService;
import io.farine.service.ServiceEndpoints;
import io.farine.test.Rabbit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

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

/**
 * What {@code --start} may name, as in the original: a section of {@code farine.ini}, with keys
 * or without (Python's {@code configparser} keeps an empty section), and a bean with any farine
 * member, an {@code @RpcClient} field alone included.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartSelectionIntegrationTests {

	private static final String QUEUE = Rabbit.unique("start");

	@TempDir
	Path directory;

	private ConfigurableApplicationContext run(String... arguments) throws Exception {
		Path ini = this.directory.resolve("farine.ini");
		Files.writeString(ini, """
				[DEFAULT]
				amqp_uri = %s

				[inbox]
				prefetch_count = 5

				[reports]
				""".formatted(Rabbit.URI));
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.properties("test.queue=" + QUEUE, "FARINE_INI=" + ini)
			.run(arguments);
	}

	@Test
	void startMayNameAnIniSectionWithNoKeys() throws Exception {
		try (ConfigurableApplicationContext context = run("--start=reports")) {
			FarineProperties properties = context.getBean(FarineProperties.class);
			assertThat(properties.runs("reports")).isTrue();
			assertThat(properties.runs("inbox")).isFalse();
		}
	}

	@Test
	void startMayNameABeanWhoseOnlyFarineMemberIsAnRpcClientField() throws Exception {
		try (ConfigurableApplicationContext context = run("--start=caller")) {
			assertThat(context.getBean(ServiceEndpoints.class).services()).containsExactly("caller", "inbox");
			assertThat(context.getBean(FarineProperties.class).runs("caller")).isTrue();
			assertThat(context.getBean(Caller.class).inbox).isNotNull();
		}
	}

	@Test
	void anUnknownNameIsReportedWithEveryServiceEmptySectionsAndCallersIncluded(CapturedOutput output) {
		assertThatThrownBy(() -> run("--start=inbx")).isInstanceOf(UnknownServiceException.class);
		assertThat(output)
			.contains("--start names a service that does not exist: inbx. The services are: caller, inbox, reports.");
	}

	@FarineService("inbox")
	static class Inbox {

		@Consume(exchange = "${test.queue}", routingKey = "${test.queue}")
		void on(String body) {
		}

	}

	@FarineService("caller")
	static class Caller {

		@RpcClient("inbox")
		RpcOperations inbox;

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import({ Inbox.class, Caller.class })
	static class App {

	}

}
