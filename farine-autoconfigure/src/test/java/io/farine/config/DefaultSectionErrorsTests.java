package io.farine.config;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The settings of no service in particular ({@code service("")}, {@code registry("")}) are
 * {@code [DEFAULT]}'s: an error in them names {@code [DEFAULT]}, not {@code []}, and its report
 * says where the key was set.
 */
class DefaultSectionErrorsTests {

	private static StandardEnvironment environment(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		return environment;
	}

	private static FarineProperties bind(StandardEnvironment environment) {
		return Binder.get(environment).bindOrCreate("farine", Bindable.of(FarineProperties.class));
	}

	@Test
	void anOutOfRangeDefaultIsReportedAsDefault() {
		StandardEnvironment environment = environment(Map.of("farine.defaults.delivery-mode", "3"));
		InvalidSettingException ex = catchThrowableOfType(InvalidSettingException.class,
				() -> bind(environment).service(""));
		assertThat(ex.getMessage()).isEqualTo("[DEFAULT] delivery_mode = 3 is not valid: expected 1 or 2.");
		assertThat(ex.service()).isEqualTo("DEFAULT");
		FailureAnalysis analysis = new InvalidSettingFailureAnalyzer(environment).analyze(ex, ex);
		assertThat(analysis.getDescription())
			.contains("It is set at \"farine.defaults.delivery-mode\" from property source \"test\"")
			.doesNotContain("[]");
		assertThat(analysis.getAction()).isEqualTo(
				"Fix the key in the [DEFAULT] section of farine.ini, or the property farine.defaults.<key> where it is set.");
	}

	@Test
	void aBadDefaultAmqpUriIsReportedAsDefault() {
		InvalidSettingException ex = catchThrowableOfType(InvalidSettingException.class,
				() -> bind(environment(Map.of("farine.defaults.amqp-uri", "http://nowhere"))).service(""));
		assertThat(ex.getMessage()).startsWith("[DEFAULT] ");
		assertThat(ex.service()).isEqualTo("DEFAULT");
	}

	@Test
	void aBadDefaultRegistrySettingIsReportedAsDefault() {
		InvalidSettingException ex = catchThrowableOfType(InvalidSettingException.class,
				() -> bind(environment(Map.of("farine.defaults.provide-host", " "))).registry(""));
		assertThat(ex.getMessage()).startsWith("[DEFAULT] provide_host is empty");
		assertThat(ex.service()).isEqualTo("DEFAULT");
	}

	@Test
	void aServicesOwnSectionIsStillNamed() {
		InvalidSettingException ex = catchThrowableOfType(InvalidSettingException.class,
				() -> bind(environment(Map.of("farine.services.orders.delivery-mode", "3"))).service("orders"));
		assertThat(ex.getMessage()).isEqualTo("[orders] delivery_mode = 3 is not valid: expected 1 or 2.");
		assertThat(ex.service()).isEqualTo("orders");
	}

}
