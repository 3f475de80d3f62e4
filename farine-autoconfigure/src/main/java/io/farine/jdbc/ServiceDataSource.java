package io.farine.jdbc;

import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import io.farine.service.RunningService;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;

/**
 * The application's DataSource when a service's section names a database of its own: while a
 * handler of such a service runs ({@link RunningService}), connections come from that service's
 * pool, else from the primary one (Spring Boot's, from {@code [DEFAULT]}). Spring's transaction
 * manager, {@code JdbcTemplate}, spring-data-jdbc repositories and the outbox all take this one
 * DataSource, so a handler's transaction, and what runs inside it, is on its service's database.
 * The services' pools close with Spring Boot's DataSource ({@link ServiceDataSources}).
 */
final class ServiceDataSource extends AbstractRoutingDataSource {

	private final Map<String, DataSource> services;

	ServiceDataSource(DataSource primary, Map<String, DataSource> services) {
		this.services = Map.copyOf(services);
		setDefaultTargetDataSource(primary);
		setTargetDataSources(new HashMap<>(this.services));
		afterPropertiesSet();
	}

	@Override
	protected @Nullable Object determineCurrentLookupKey() {
		return RunningService.current();
	}

	/** Closes the services' pools; Spring Boot's is closed as its bean. */
	void closeServices() {
		for (DataSource pool : this.services.values()) {
			closeQuietly(pool);
		}
	}

	private static void closeQuietly(DataSource pool) {
		if (pool instanceof AutoCloseable closeable) {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				// closing: nothing else to do with it
			}
		}
	}

	@Override
	public String toString() {
		return "ServiceDataSource[services=" + this.services.keySet() + "]";
	}

}
