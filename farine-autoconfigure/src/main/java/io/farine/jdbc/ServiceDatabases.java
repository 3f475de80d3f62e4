package io.farine.jdbc;

import java.util.Map;

/**
 * The databases the {@code db_*} keys name: the application's primary one, and those of the
 * running services whose sections name another.
 *
 * @param primary {@code [DEFAULT]}'s database (or, when {@code [DEFAULT]} names none, the first
 * running service's): Spring Boot's DataSource
 * @param services the services whose keys, over {@code [DEFAULT]}'s, differ from the primary's
 */
record ServiceDatabases(DatabaseSettings primary, Map<String, DatabaseSettings> services) {

	ServiceDatabases {
		services = Map.copyOf(services);
	}

}
