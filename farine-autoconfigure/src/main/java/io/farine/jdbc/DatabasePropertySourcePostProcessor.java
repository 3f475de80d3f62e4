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
 * {@link FarineProperties}', bound here as the context will bind them. {@code [DEFAULT]}'s database
 * is the application's DataSource; a running service whose section names another gets a pool of
 * its own ({@link ServiceDataSources}), used while its handlers run.
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

	/** The primary database, or {@code null} when none is named. */
	static @Nullable DatabaseSettings settings(ConfigurableEnvironment environment) {
		ServiceDatabases databases = databases(environment);
		return (databases != null) ? databases.primary() : null;
	}

	/**
	 * The application's databases: {@code [DEFAULT]}'s (the primary) when it names a whole database
	 * or no section sets keys of its own, else the first running service's that names one; and
	 * each running service whose keys, over {@code [DEFAULT]}'s, name another.
	 * @param environment the environment, with the INI file's properties
	 * @return the databases, or {@code null} when none is named
	 * @throws DatabaseSettingsException listing every key that is missing or not valid
	 */
	static @Nullable ServiceDatabases databases(ConfigurableEnvironment environment) {
		WrittenKeys written = new WrittenKeys(environment);
		FarineProperties farine = Binder.get(environment)
			.bindOrCreate("farine", Bindable.of(FarineProperties.class), written);
		Map<String, DatabaseOptions> candidates = new LinkedHashMap<>();
		boolean ownKeys = false;
		for (Map.Entry<String, ServiceOptions> section : farine.services().entrySet()) {
			boolean own = sets(section.getValue().database(), section.getKey(), written);
			if (own && farine.selected(section.getKey())) {
				candidates.put(section.getKey(), farine.database(section.getKey()));
			}
			ownKeys |= own;
		}
		// [DEFAULT] holding only some keys, which sections complete, is a template, not a database
		DatabaseOptions defaults = farine.defaults().database();
		boolean primaryDefault = sets(defaults, null, written) && (!ownKeys || complete(defaults));
		List<String> problems = new ArrayList<>();
		DatabaseSettings primary = primaryDefault ? new DatabaseKeyCheck(DEFAULT, written, problems).check(defaults)
				: null;
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
		if (primary == null && resolved.isEmpty()) {
			return null;
		}
		DatabaseSettings main = (primary != null) ? primary : resolved.values().iterator().next();
		Map<String, DatabaseSettings> own = new LinkedHashMap<>();
		resolved.forEach((service, settings) -> {
			if (!main.differences(settings).isEmpty()) {
				own.put(service, settings);
			}
		});
		return new ServiceDatabases(main, own);
	}

	private static boolean complete(DatabaseOptions keys) {
		return keys.connector() != null && keys.name() != null && keys.user() != null && keys.host() != null
				&& keys.password() != null;
	}

	/** Whether a section sets a {@code db_*} key, with a value that converts or not. */
	private static boolean sets(DatabaseOptions keys, @Nullable String section, WrittenKeys written) {
		return keys.any() || written.unconverted(section, DatabaseKeyCheck.KEYS);
	}

}
