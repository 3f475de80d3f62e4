package io.farine.jdbc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import io.farine.config.DatabaseOptions;
import org.jspecify.annotations.Nullable;

/**
 * Checks the {@code db_*} keys of one section, as the settings bound them, and makes its
 * {@link DatabaseSettings}: every problem is collected, naming the section, the key as written and
 * where it was set, and what is expected, so one report lists them all.
 */
final class DatabaseKeyCheck {

	static final List<String> CONNECTORS = List.of("postgres", "postgresql");

	/** Every {@code db_*} key. */
	static final List<String> KEYS = List.of("db_connector", "db_name", "db_user", "db_host", "db_password", "db_port",
			"db_max_conn", "db_stale_timeout", "db_timeout");

	private static final List<String> REQUIRED = KEYS.subList(0, 5);

	private static final String SECONDS = "a positive number of seconds, such as 30, or a duration such as 500ms or 5m";

	private final String section;

	private final WrittenKeys written;

	private final List<String> problems;

	/**
	 * @param section the section's name, or {@code DEFAULT}
	 * @param written the keys as written
	 * @param problems where problems are added
	 */
	DatabaseKeyCheck(String section, WrittenKeys written, List<String> problems) {
		this.section = section;
		this.written = written;
		this.problems = problems;
	}

	/**
	 * The section's database.
	 * @param keys the section's keys over {@code [DEFAULT]}'s
	 * @return its settings, or {@code null} when a key is missing or not valid
	 */
	@Nullable DatabaseSettings check(DatabaseOptions keys) {
		int before = this.problems.size();
		Map<String, @Nullable String> required = new LinkedHashMap<>();
		required.put("db_connector", keys.connector());
		required.put("db_name", keys.name());
		required.put("db_user", keys.user());
		required.put("db_host", keys.host());
		required.put("db_password", keys.password());
		List<String> missing = new ArrayList<>();
		required.forEach((key, value) -> {
			if (value == null) {
				missing.add(key);
			}
		});
		if (!missing.isEmpty()) {
			this.problems.add("[" + this.section + "] is missing " + String.join(", ", missing) + " (required: "
					+ String.join(", ", REQUIRED) + "; db_password may be empty)");
		}
		String connector = keys.connector();
		if (connector != null && !CONNECTORS.contains(connector.strip().toLowerCase(Locale.ROOT))) {
			this.problems.add("[" + this.section + "] db_connector = '" + connector + "' ("
					+ this.written.where(this.section, "db_connector") + ") is not supported: expected one of "
					+ String.join(", ", CONNECTORS));
		}
		Integer port = valid("db_port", keys.port(), (p) -> p >= 1 && p <= 65535, "a port number from 1 to 65535");
		Integer maxConn = valid("db_max_conn", keys.maxConn(), (n) -> n >= 1, "a number of connections, 1 or more");
		Duration stale = valid("db_stale_timeout", keys.staleTimeout(), DatabaseKeyCheck::positive, SECONDS);
		Duration timeout = valid("db_timeout", keys.timeout(), DatabaseKeyCheck::positive, SECONDS);
		if (this.problems.size() > before) {
			return null;
		}
		return new DatabaseSettings(keys.host().strip(), (port != null) ? port : 5432, keys.name().strip(),
				keys.user().strip(), keys.password(), maxConn, stale, timeout);
	}

	/** The value, or {@code null} with a problem when it did not convert or is out of range. */
	private <T> @Nullable T valid(String key, @Nullable T value, Predicate<T> range, String expected) {
		WrittenKeys.Written text = this.written.of(this.section, key);
		boolean converted = text == null || text.converted();
		if (converted && (value == null || range.test(value))) {
			return value;
		}
		this.problems.add("[" + this.section + "] " + key + " = '" + ((text != null) ? text.text() : value) + "' ("
				+ this.written.where(this.section, key) + ") is not valid: expected " + expected);
		return null;
	}

	private static boolean positive(Duration duration) {
		return !duration.isNegative() && !duration.isZero();
	}

}
