package io.farine.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Keeps Spring Boot's DataSource auto-configuration out when nothing configures a database: no
 * {@code db_*} keys, no {@code spring.datasource.url} or {@code jndi-name}, and no embedded
 * database on the classpath. The starter brings spring-data-jdbc and the PostgreSQL driver, and
 * without this every service that uses no database would fail to start ("Failed to configure a
 * DataSource"). A DataSource bean the application defines itself is untouched.
 */
final class NoDatabaseFilter implements AutoConfigurationImportFilter, EnvironmentAware, BeanClassLoaderAware {

	static final String DATA_SOURCE_AUTO_CONFIGURATION = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration";

	private static final String EMBEDDED_DATABASE = "org.springframework.boot.jdbc.EmbeddedDatabaseConnection";

	private @Nullable Environment environment;

	private @Nullable ClassLoader classLoader;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setBeanClassLoader(ClassLoader classLoader) {
		this.classLoader = classLoader;
	}

	@Override
	public boolean[] match(@Nullable String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
		boolean[] matches = new boolean[autoConfigurationClasses.length];
		boolean database = databaseConfigured();
		for (int i = 0; i < matches.length; i++) {
			matches[i] = database || !DATA_SOURCE_AUTO_CONFIGURATION.equals(autoConfigurationClasses[i]);
		}
		return matches;
	}

	private boolean databaseConfigured() {
		Environment environment = this.environment;
		if (environment == null || environment.containsProperty("spring.datasource.url")
				|| environment.containsProperty("spring.datasource.jndi-name")) {
			return true;
		}
		return ClassUtils.isPresent(EMBEDDED_DATABASE, this.classLoader) && EmbeddedDatabase.onClasspath(this.classLoader);
	}

	/** Kept apart so that the filter loads without spring-boot-jdbc on the classpath. */
	private static final class EmbeddedDatabase {

		static boolean onClasspath(@Nullable ClassLoader classLoader) {
			return org.springframework.boot.jdbc.EmbeddedDatabaseConnection.get(classLoader)
					!= org.springframework.boot.jdbc.EmbeddedDatabaseConnection.NONE;
		}

	}

}
