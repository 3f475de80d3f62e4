package io.farine.config;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an out-of-range setting into a report naming the service and the key. */
class InvalidSettingFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSettingException> {

	private final @Nullable Environment environment;

	public InvalidSettingFailureAnalyzer(@Nullable Environment environment) {
		this.environment = environment;
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidSettingException cause) {
		String where = where(cause);
		return new FailureAnalysis("A farine setting is not valid: " + cause.getMessage()
				+ ((where != null) ? " It is set at " + where + "." : ""),
				IniFile.DEFAULT_SECTION.equals(cause.service())
						? "Fix the key in the [DEFAULT] section of farine.ini, or the property farine.defaults.<key> "
								+ "where it is set."
						: "Fix the key in the [" + cause.service() + "] section (or [DEFAULT]) of farine.ini, or the "
								+ "property farine.services." + cause.service()
								+ ".<key> (farine.defaults.<key>) where it is set.",
				cause);
	}

	/**
	 * Where the key at fault was set: the service's own key first, then {@code [DEFAULT]}, read as
	 * Boot binds them (any of its forms, from any property source), with its origin, such as
	 * {@code /etc/farine.ini:12 [orders] delivery_mode}.
	 */
	private @Nullable String where(InvalidSettingException cause) {
		if (this.environment == null || cause.key() == null) {
			return null;
		}
		String key = cause.key().replace('_', '-');
		for (String name : List.of("farine.services." + cause.service() + "." + key, "farine.defaults." + key)) {
			ConfigurationPropertyName property = ConfigurationPropertyName.adapt(name, '.');
			for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
				ConfigurationProperty found = source.getConfigurationProperty(property);
				if (found != null) {
					return (found.getOrigin() != null) ? found.getOrigin().toString()
							: "property source '" + ((source.getUnderlyingSource() instanceof PropertySource<?> named)
									? named.getName() : source) + "'";
				}
			}
		}
		return null;
	}

}
