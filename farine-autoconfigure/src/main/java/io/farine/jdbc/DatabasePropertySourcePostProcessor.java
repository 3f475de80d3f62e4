package io.farine.jdbc;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Makes the {@code db_*} keys of {@code farine.ini} the application's DataSource settings: checks
 * them, then adds {@code spring.datasource.*} properties below every other source, so Spring
 * Boot's own DataSource auto-configuration builds the HikariCP pool and anything a user sets in
 * {@code application.properties} still wins. A {@code spring.datasource.url} set anywhere means
 * the user configures the DataSource, and the keys are left alone.
 * <p>
 * One process has one DataSource: the running services' sections (or {@code [DEFAULT]}) must agree.
 */
class DatabasePropertySourcePostProcessor implements EnvironmentPostProcessor, Ordered {

	/** Name of the property source holding the DataSource properties made from the keys. */
	static final String PROPERTY_SOURCE_NAME = "farineDatabase";

	static final List<String> CONNECTORS = List.of("postgres", "postgresql");

	private static final List<String> REQUIRED = List.of("db_connector", "db_name", "db_user", "db_host", "db_password");

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
		Binder binder = Binder.get(environment);
		Origins origins = new Origins();
		Keys defaults = binder.bind("farine.defaults", Bindable.of(Keys.class), origins).orElse(Keys.NONE);
		Map<String, Keys> own = binder
			.bind("farine.services", Bindable.<Map<String, Keys>>of(
					ResolvableType.forClassWithGenerics(Map.class, String.class, Keys.class)), origins)
			.orElse(Map.of());
		List<String> start = Arrays.stream(environment.getProperty("farine.start", "").split(","))
			.map(String::strip)
			.filter((name) -> !name.isEmpty())
			.toList();
		Map<String, Keys> candidates = new LinkedHashMap<>();
		own.forEach((section, keys) -> {
			Keys effective = keys.over(defaults);
			boolean runs = (start.isEmpty() || start.contains(section)) && !"false".equalsIgnoreCase(effective.enabled());
			if (runs && effective.any()) {
				candidates.put(section, effective);
			}
		});
		if (candidates.isEmpty() && defaults.any() && own.values().stream().noneMatch(Keys::any)) {
			candidates.put("DEFAULT", defaults);
		}
		List<String> problems = new ArrayList<>();
		Map<String, DatabaseSettings> resolved = new LinkedHashMap<>();
		candidates.forEach((section, keys) -> {
			Function<String, String> where = (key) -> origins.of(section, key, own.containsKey(section)
					&& own.get(section).value(key) != null);
			DatabaseSettings settings = resolve(section, keys, where, problems);
			if (settings != null) {
				resolved.put(section, settings);
			}
		});
		if (!problems.isEmpty()) {
			throw new DatabaseSettingsException("The database keys of farine.ini are not valid:\n - "
					+ String.join("\n - ", problems), "Fix the keys named above (see README.md, 'Database'), or set "
							+ "spring.datasource.url to configure the DataSource yourself.");
		}
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

	private static @Nullable DatabaseSettings resolve(String section, Keys keys, Function<String, String> where,
			List<String> problems) {
		int before = problems.size();
		List<String> missing = REQUIRED.stream().filter((key) -> keys.value(key) == null).toList();
		if (!missing.isEmpty()) {
			problems.add("[" + section + "] is missing " + String.join(", ", missing) + " (required: "
					+ String.join(", ", REQUIRED) + "; db_password may be empty)");
		}
		String connector = keys.value("db_connector");
		if (connector != null && !CONNECTORS.contains(connector.strip().toLowerCase(Locale.ROOT))) {
			problems.add("[" + section + "] db_connector = '" + connector + "' (" + where.apply("db_connector")
					+ ") is not supported: expected one of " + String.join(", ", CONNECTORS));
		}
		Integer port = integer(section, keys, "db_port", 1, 65535, "a port number from 1 to 65535", where, problems);
		Integer maxConn = integer(section, keys, "db_max_conn", 1, Integer.MAX_VALUE, "a number of connections, 1 or more",
				where, problems);
		Duration stale = duration(section, keys, "db_stale_timeout", where, problems);
		Duration timeout = duration(section, keys, "db_timeout", where, problems);
		if (problems.size() > before) {
			return null;
		}
		return new DatabaseSettings(keys.value("db_host").strip(), (port != null) ? port : 5432,
				keys.value("db_name").strip(), keys.value("db_user").strip(), keys.value("db_password"), maxConn, stale,
				timeout);
	}

	private static @Nullable Integer integer(String section, Keys keys, String key, int min, int max, String expected,
			Function<String, String> where, List<String> problems) {
		String value = keys.value(key);
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			int parsed = Integer.parseInt(value.strip());
			if (parsed >= min && parsed <= max) {
				return parsed;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		problems.add("[" + section + "] " + key + " = '" + value + "' (" + where.apply(key) + ") is not valid: expected "
				+ expected);
		return null;
	}

	private static @Nullable Duration duration(String section, Keys keys, String key, Function<String, String> where,
			List<String> problems) {
		String value = keys.value(key);
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			Duration parsed = DurationStyle.detectAndParse(value.strip(), ChronoUnit.SECONDS);
			if (!parsed.isNegative() && !parsed.isZero()) {
				return parsed;
			}
		}
		catch (IllegalArgumentException ex) {
			// reported below
		}
		problems.add("[" + section + "] " + key + " = '" + value + "' (" + where.apply(key)
				+ ") is not valid: expected a positive number of seconds, such as 30, or a duration such as 500ms or 5m");
		return null;
	}

	/**
	 * The {@code db_*} keys of one section as written, unconverted, so a bad value is reported by
	 * farine with its key instead of failing the binding.
	 */
	record Keys(@Nullable String dbConnector, @Nullable String dbName, @Nullable String dbUser,
			@Nullable String dbHost, @Nullable String dbPassword, @Nullable String dbPort, @Nullable String dbMaxConn,
			@Nullable String dbStaleTimeout, @Nullable String dbTimeout, @Nullable String enabled) {

		static final Keys NONE = new Keys(null, null, null, null, null, null, null, null, null, null);

		Keys over(Keys defaults) {
			return new Keys(pick(this.dbConnector, defaults.dbConnector), pick(this.dbName, defaults.dbName),
					pick(this.dbUser, defaults.dbUser), pick(this.dbHost, defaults.dbHost),
					pick(this.dbPassword, defaults.dbPassword), pick(this.dbPort, defaults.dbPort),
					pick(this.dbMaxConn, defaults.dbMaxConn), pick(this.dbStaleTimeout, defaults.dbStaleTimeout),
					pick(this.dbTimeout, defaults.dbTimeout), pick(this.enabled, defaults.enabled));
		}

		boolean any() {
			return this.dbConnector != null || this.dbName != null || this.dbUser != null || this.dbHost != null
					|| this.dbPassword != null || this.dbPort != null || this.dbMaxConn != null
					|| this.dbStaleTimeout != null || this.dbTimeout != null;
		}

		@Nullable String value(String key) {
			return switch (key) {
				case "db_connector" -> this.dbConnector;
				case "db_name" -> this.dbName;
				case "db_user" -> this.dbUser;
				case "db_host" -> this.dbHost;
				case "db_password" -> this.dbPassword;
				case "db_port" -> this.dbPort;
				case "db_max_conn" -> this.dbMaxConn;
				case "db_stale_timeout" -> this.dbStaleTimeout;
				case "db_timeout" -> this.dbTimeout;
				default -> throw new IllegalArgumentException(key);
			};
		}

		private static @Nullable String pick(@Nullable String own, @Nullable String inherited) {
			return (own != null) ? own : inherited;
		}

		@Override
		public String toString() {
			return "Keys[db_host=" + this.dbHost + ", db_name=" + this.dbName + ", db_password="
					+ ((this.dbPassword != null) ? "***" : null) + "]";
		}

	}

	/** Remembers where each bound key was set: the INI file and section, application.properties, ... */
	private static final class Origins implements BindHandler {

		private final Map<String, String> origins = new HashMap<>();

		@Override
		public Object onSuccess(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
				Object result) {
			ConfigurationProperty property = context.getConfigurationProperty();
			if (property != null) {
				String origin = (property.getOrigin() != null) ? property.getOrigin().toString()
						: "property source '" + property.getSource().getUnderlyingSource() + "'";
				this.origins.put(name.toString(), origin);
			}
			return result;
		}

		String of(String section, String key, boolean ownKey) {
			String name = ownKey ? "farine.services." + section + "." + key.replace('_', '-')
					: "farine.defaults." + key.replace('_', '-');
			return this.origins.getOrDefault(name, name);
		}

	}

}
