package io.farine.config;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The INI file as a Spring property source, through a real {@code SpringApplication} start-up.
 */
@ExtendWith(OutputCaptureExtension.class)
class IniPropertySourceTests {

	@TempDir
	Path dir;

	@Test
	void sectionOverridesDefaultOverridesBuiltInAndEverySpringSourceOverridesTheFile() throws Exception {
		Path ini = write("""
				[DEFAULT]
				prefetch_count = 5
				durable = false
				amqp_uri = amqp://guest:guest@127.0.0.1:5672

				[orders]
				prefetch_count = 7
				type = topic
				consume_retry_delay = 250ms
				""");
		try (ConfigurableApplicationContext context = start("--FARINE_INI=" + ini,
				"--farine.services.orders.type=fanout")) {
			assertThat(context.getEnvironment().getProperty("farine.defaults.durable")).isEqualTo("false");
			assertThat(context.getEnvironment().getProperty("farine.services.orders.prefetch_count")).isEqualTo("7");
			FarineProperties properties = context.getBean(FarineProperties.class);
			ServiceSettings orders = properties.service("orders");
			assertThat(orders.prefetchCount()).isEqualTo(7);
			assertThat(orders.type()).isEqualTo(ExchangeType.FANOUT);
			assertThat(orders.durable()).isFalse();
			assertThat(orders.consumeRetryDelay()).hasMillis(250);
			assertThat(orders.amqpUri()).hasToString("amqp://guest:guest@127.0.0.1:5672");
			ServiceSettings other = properties.service("other");
			assertThat(other.prefetchCount()).isEqualTo(5);
			assertThat(other.type()).isEqualTo(ExchangeType.DIRECT);
			assertThat(other.deliveryMode()).isEqualTo(2);
			assertThat(other.autoDeclare()).isTrue();
			assertThat(other.retry()).isTrue();
			assertThat(other.serializer()).isEqualTo("json");
		}
	}

	@Test
	void startOnTheCommandLineRunsOnlyTheNamedServicesAndEnabledFalseSwitchesOneOff() throws Exception {
		Path ini = write("""
				[orders]
				enabled = false
				[billing]
				enabled = true
				""");
		try (ConfigurableApplicationContext context = start("--FARINE_INI=" + ini, "--start=orders,billing")) {
			FarineProperties properties = context.getBean(FarineProperties.class);
			assertThat(properties.runs("billing")).isTrue();
			assertThat(properties.runs("orders")).isFalse();
			assertThat(properties.runs("shipping")).isFalse();
		}
		try (ConfigurableApplicationContext context = start("--FARINE_INI=" + ini)) {
			assertThat(context.getBean(FarineProperties.class).runs("shipping")).isTrue();
		}
	}

	@Test
	void farineIniNamingAMissingFileStopsStartUpWithAReportNamingTheFix(CapturedOutput output) {
		Path missing = this.dir.resolve("nope.ini");
		assertThatThrownBy(() -> start("--FARINE_INI=" + missing)).isInstanceOf(IniFileNotFoundException.class);
		assertThat(output).contains("FARINE_INI points at " + missing + ", which does not exist")
			.contains("Action:")
			.contains("Set FARINE_INI to an existing");
	}

	@Test
	void syntaxErrorStopsStartUpWithFileAndLine(CapturedOutput output) throws Exception {
		Path ini = write("[orders]\nprefetch_count = 3\nthis line is wrong\n");
		assertThatThrownBy(() -> start("--FARINE_INI=" + ini)).isInstanceOf(IniSyntaxException.class);
		assertThat(output).contains(ini + ":3:").contains("Fix line 3 of " + ini);
	}

	@Test
	void valueOutOfRangeNamesTheServiceAndTheKey() throws Exception {
		Path ini = write("[orders]\ndelivery_mode = 3\n");
		try (ConfigurableApplicationContext context = start("--FARINE_INI=" + ini)) {
			assertThatThrownBy(() -> context.getBean(FarineProperties.class).service("orders"))
				.hasMessage("[orders] delivery_mode = 3 is not valid: expected 1 or 2.");
		}
	}

	@Test
	void groupCommitKeysDefaultToACommitPerMessageAndTakeAWindowInMilliseconds() throws Exception {
		Path ini = write("""
				[DEFAULT]
				db_batch_window = 5ms
				[orders]
				db_batch_size = 50
				[billing]
				db_batch_window = 2
				[shipping]
				db_batch_size = 0
				[stock]
				db_batch_window = 0ms
				""");
		try (ConfigurableApplicationContext context = start("--FARINE_INI=" + ini)) {
			FarineProperties properties = context.getBean(FarineProperties.class);
			assertThat(properties.service("orders").dbBatchSize()).isEqualTo(50);
			assertThat(properties.service("orders").dbBatchWindow()).hasMillis(5);
			assertThat(properties.service("billing").dbBatchSize()).isEqualTo(1);
			assertThat(properties.service("billing").dbBatchWindow()).hasSeconds(2);
			assertThatThrownBy(() -> properties.service("shipping"))
				.hasMessage("[shipping] db_batch_size = 0 is not valid: expected 1 or more.");
			assertThatThrownBy(() -> properties.service("stock")).hasMessageStartingWith("[stock] db_batch_window = ");
		}
		try (ConfigurableApplicationContext context = start()) {
			ServiceSettings plain = context.getBean(FarineProperties.class).service("orders");
			assertThat(plain.dbBatchSize()).isEqualTo(1);
			assertThat(plain.dbBatchWindow()).hasMillis(5);
		}
	}

	private Path write(String content) throws Exception {
		Path file = Files.createTempFile(this.dir, "farine", ".ini");
		Files.writeString(file, content);
		return file;
	}

	private static ConfigurableApplicationContext start(String... args) {
		return new SpringApplicationBuilder(PropertiesOnly.class).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.run(args);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(FarineProperties.class)
	static class PropertiesOnly {

	}

}
