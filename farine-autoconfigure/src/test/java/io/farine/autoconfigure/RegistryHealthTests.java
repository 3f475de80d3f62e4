package io.farine.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** With Spring Boot's health support on the classpath, the registry has its health indicator. */
class RegistryHealthTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FarineAutoConfiguration.class,
				FarineHealthAutoConfiguration.class));

	@Test
	void theRegistryHealthIndicatorIsThereAndUpWhileTheRegistryIsOff() {
		this.runner.run((context) -> {
			HealthIndicator registry = context.getBean("farineRegistryHealthIndicator", HealthIndicator.class);
			assertThat(registry.health().getStatus()).isEqualTo(Status.UP);
		});
	}

}
