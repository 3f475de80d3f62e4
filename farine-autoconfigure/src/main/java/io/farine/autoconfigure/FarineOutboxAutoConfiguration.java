package io.farine.autoconfigure;

import javax.sql.DataSource;

import io.farine.amqp.BrokerConnections;
import io.farine.config.FarineProperties;
import io.farine.outbox.JdbcOutbox;
import io.farine.outbox.OutboxRelay;
import io.farine.service.JsonCodec;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The transactional outbox, when the application has a database: a publish inside a transaction
 * is stored in the outbox table ({@code outbox_table}, default {@code farine_outbox}) with the
 * transaction and sent after the commit. {@code farine.outbox.enabled=false} switches it off.
 */
@AutoConfiguration(after = FarineAutoConfiguration.class,
		afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration" })
@ConditionalOnBean({ DataSource.class, PlatformTransactionManager.class })
@ConditionalOnBooleanProperty(name = "farine.outbox.enabled", matchIfMissing = true)
public final class FarineOutboxAutoConfiguration {

	static final String DEFAULT_TABLE = "farine_outbox";

	@Bean
	@ConditionalOnMissingBean
	OutboxRelay farineOutboxRelay(DataSource dataSource, PlatformTransactionManager transactions,
			BrokerConnections brokers, FarineProperties properties, JsonCodec codec, Environment environment) {
		return new OutboxRelay(JdbcClient.create(dataSource), new TransactionTemplate(transactions),
				table(environment), brokers, properties, codec);
	}

	@Bean
	@ConditionalOnMissingBean
	JdbcOutbox farineOutbox(DataSource dataSource, OutboxRelay relay, JsonCodec codec, Environment environment) {
		return new JdbcOutbox(JdbcClient.create(dataSource), table(environment), codec, relay::wake);
	}

	private static String table(Environment environment) {
		return environment.getProperty("farine.defaults.outbox-table",
				environment.getProperty("farine.defaults.outbox_table", DEFAULT_TABLE));
	}

}
