package io.farine.jdbc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.farine.config.DatabaseOptions;
import io.farine.config.FarineProperties;
import io.farine.config.ServiceOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Makes the {@code db_*} keys of {@code farine.ini} the application's DataSource settings: checks
 * them, then adds {@code spring.datasource.*} properties below every other source, so Spring
 * Boot's own DataSource auto-configuration builds the HikariCP pool and anything a user sets in
 * {@code application.properties} still wins. A {@code spring.datasource.url} set anywhere means
 * the user configures the DataSource, and the keys are left alone.
 * <p>
 * The keys, their inheritance from {@code [DEFAULT]} and which services run are
 * {@link FarineProperties}', bound here as the context will bind them. One process has one
 * DataSource: the running services' sections (or {@code [DEFAULT]}) must agree.
 */
class DatabasePropertySourcePostProcessor implements EnvironmentPostProcessor, Ordered {

	/** Name of the property source holding the DataSource properties made from the keys. */
	static final String PROPERTY_SOURCE_NAME = "farineDatabase";

	private static final String DEFAULT = "DEFAULT";

	@Override
	public int getOrder() {
		// after the INI file; before farine-dev, which reads the DataSource settings made here
		return Ordered.LOWEST_PRECEDENCE - 50;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.containsProperty("spring.datasource.url")) {
			return;
		}
		DatabaseSettings settings = settings(environment);
		if (settings == null) {
			return;
		}
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.datasource.url", settings.jdbcUrl());
		properties.put("spring.datasource.username", settings.user());
		properties.put("spring.datasource.password", settings.password());
		properties.put("spring.datasource.driver-class-name", "org.postgresql.Driver");
		properties.put("spring.datasource.hikari.pool-name", "farine");
		if (settings.maxConn() != null) {
			properties.put("spring.datasource.hikari.maximum-pool-size", settings.maxConn());
		}
		if (settings.staleTimeout() != null) {
			properties.put("spring.datasource.hikari.max-lifetime", settings.staleTimeout().toMillis());
		}
		if (settings.timeout() != null) {
			properties.put("spring.datasource.hikari.connection-timeout", settings.timeout().toMillis());
		}
		environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
	}

	/** The database the running services name, or {@code null} when none names one. */
	static @Nullable DatabaseSettings settings(ConfigurableEnvironment environment) {
		WrittenKeys written = new WrittenKeys(environment);
		FarineProperties farine = Binder.get(environment)
			.bindOrCreate("farine", Bindable.of(FarineProperties.class), written);
		// the running services whose sections set db_* keys, each over [DEFAULT]'s; else [DEFAULT]'s,
		// unless a section that does not run sets keys of its own
		Map<String, DatabaseOptions> candidates = new LinkedHashMap<>();
		boolean ownKeys = false;
		for (Map.Entry<String, ServiceOptions> section : farine.services().entrySet()) {
			boolean own = sets(section.getValue().database(), section.getKey(), written);
			if (own && farine.selected(section.getKey())) {
				candidates.put(section.getKey(), farine.database(section.getKey()));
			}
			ownKeys |= own;
		}
		if (candidates.isEmpty() && !ownKeys && sets(farine.defaults().database(), null, written)) {
			candidates.put(DEFAULT, farine.defaults().database());
		}
		List<String> problems = new ArrayList<>();
		Map<String, DatabaseSettings> resolved = new LinkedHashMap<>();
		candidates.forEach((section, keys) -> {
			DatabaseSettings settings = new DatabaseKeyCheck(section, written, problems).check(keys);
			if (settings != null) {
				resolved.put(section, settings);
			}
		});
		if (!problems.isEmpty()) {
			throw new DatabaseSettingsException("The database keys of farine.ini are not valid:\n - "
					+ String.join("\n - ", problems), "Fix the keys named above (see README.md, 'Database'), or set "
							+ "spring.datasource.url to configure the DataSource yourself.");
		}
		return agreed(resolved);
	}

	/** Whether a section sets a {@code db_*} key, with a value that converts or not. */
	private static boolean sets(DatabaseOptions keys, @Nullable String section, WrittenKeys written) {
		return keys.any() || written.unconverted(section, DatabaseKeyCheck.KEYS);
	}

	/** The one database all sections name; a second one is a start-up error naming both sections. */
	private static @Nullable DatabaseSettings agreed(Map<String, DatabaseSettings> resolved) {
		Map.Entry<String, DatabaseSettings> first = null;
		for (Map.Entry<String, DatabaseSettings> entry : resolved.entrySet()) {
			if (first == null) {
				first = entry;
				continue;
			}
			List<String> differences = first.getValue().differences(entry.getValue());
			if (!differences.isEmpty()) {
				throw new DatabaseSettingsException("Services [" + first.getKey() + "] and [" + entry.getKey()
						+ "] name different databases (" + String.join(", ", differences) + " differ), but a process "
						+ "has one DataSource.", "Put the db_* keys in [DEFAULT] so every service shares them, or run "
								+ "the services in separate processes (--start=" + first.getKey() + ").");
			}
		}
		return (first != null) ? first.getValue() : null;
	}

}
