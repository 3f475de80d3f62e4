package io.farine.jdbc;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The pools of services whose sections name a database of their own; imported by
 * {@code FarineAutoConfiguration} when HikariCP and Spring JDBC are there.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = { "com.zaxxer.hikari.HikariDataSource", "org.springframework.boot.jdbc.DataSourceBuilder",
		"org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource" })
class ServiceDataSourceConfiguration {

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static ServiceDataSources farineServiceDataSources(ConfigurableEnvironment environment) {
		return new ServiceDataSources(environment);
	}

}
