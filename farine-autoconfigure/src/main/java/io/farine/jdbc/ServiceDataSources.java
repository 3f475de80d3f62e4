package io.farine.jdbc;

import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.beans.factory.config.SmartInstantiationAwareBeanPostProcessor;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Gives each running service whose section names a database of its own a HikariCP pool, built
 * from its {@code db_*} keys as Spring Boot builds the primary one from {@code [DEFAULT]}'s, and
 * puts Spring Boot's DataSource ({@code dataSource}) and these pools behind one
 * {@link ServiceDataSource}, and closes these pools when Spring closes its own. Does nothing when every running service uses the primary database,
 * or when {@code spring.datasource.url} is set (the user configures the DataSource).
 */
final class ServiceDataSources implements SmartInstantiationAwareBeanPostProcessor, DestructionAwareBeanPostProcessor {

	static final String DATA_SOURCE = "dataSource";

	private final ConfigurableEnvironment environment;

	/** The services' own databases, read at the first need. */
	private volatile @Nullable Map<String, DatabaseSettings> services;

	/** The DataSource made, whose services' pools close with Spring Boot's. */
	private volatile @Nullable ServiceDataSource made;

	ServiceDataSources(ConfigurableEnvironment environment) {
		this.environment = environment;
	}

	private Map<String, DatabaseSettings> services() {
		Map<String, DatabaseSettings> found = this.services;
		if (found == null) {
			// absent when spring.datasource.url was set elsewhere: the user configures the DataSource
			ServiceDatabases databases = this.environment.getPropertySources()
				.contains(DatabasePropertySourcePostProcessor.PROPERTY_SOURCE_NAME)
						? DatabasePropertySourcePostProcessor.databases(this.environment) : null;
			found = (databases != null) ? databases.services() : Map.of();
			this.services = found;
		}
		return found;
	}

	@Override
	public @Nullable Class<?> predictBeanType(Class<?> beanClass, String beanName) {
		return (DATA_SOURCE.equals(beanName) && DataSource.class.isAssignableFrom(beanClass) && !services().isEmpty())
				? ServiceDataSource.class : null;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!DATA_SOURCE.equals(beanName) || !(bean instanceof DataSource primary) || services().isEmpty()) {
			return bean;
		}
		Map<String, DataSource> pools = new LinkedHashMap<>();
		services().forEach((service, settings) -> pools.put(service, pool(service, settings)));
		ServiceDataSource routing = new ServiceDataSource(primary, pools);
		this.made = routing;
		return routing;
	}

	/** Spring destroys the bean it made, Spring Boot's pool: the services' pools close first. */
	@Override
	public void postProcessBeforeDestruction(Object bean, String beanName) {
		ServiceDataSource routing = this.made;
		if (DATA_SOURCE.equals(beanName) && routing != null) {
			routing.closeServices();
		}
	}

	@Override
	public boolean requiresDestruction(Object bean) {
		return bean instanceof DataSource;
	}

	/** A pool like the primary one, from a service's keys; it connects at its first use. */
	private static HikariDataSource pool(String service, DatabaseSettings settings) {
		HikariDataSource pool = DataSourceBuilder.create()
			.type(HikariDataSource.class)
			.driverClassName("org.postgresql.Driver")
			.url(settings.jdbcUrl())
			.username(settings.user())
			.password(settings.password())
			.build();
		pool.setPoolName("farine-" + service);
		if (settings.maxConn() != null) {
			pool.setMaximumPoolSize(settings.maxConn());
		}
		if (settings.staleTimeout() != null) {
			pool.setMaxLifetime(settings.staleTimeout().toMillis());
		}
		if (settings.timeout() != null) {
			pool.setConnectionTimeout(settings.timeout().toMillis());
		}
		return pool;
	}

}
