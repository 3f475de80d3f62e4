package io.farine.autoconfigure;

import javax.sql.DataSource;

import io.farine.amqp.BrokerConnections;
import io.farine.config.FarineProperties;
import io.farine.outbox.JdbcInbox;
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
 * transaction and sent after the commit; and the inbox of {@code @Consume(idempotent = true)}
 * consumers ({@code inbox_table}, default {@code farine_inbox}). {@code farine.outbox.enabled=false}
 * switches both off.
 */
@AutoConfiguration(after = FarineAutoConfiguration.class,
		afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration" })
@ConditionalOnBean({ DataSource.class, PlatformTransactionManager.class, BrokerConnections.class })
@ConditionalOnBooleanProperty(name = "farine.outbox.enabled", matchIfMissing = true)
public final class FarineOutboxAutoConfiguration {

	static final String DEFAULT_TABLE = "farine_outbox";

	@Bean
	@ConditionalOnMissingBean
	OutboxRelay farineOutboxRelay(DataSource dataSource, PlatformTransactionManager transactions,
			BrokerConnections brokers, FarineProperties properties, JsonCodec codec, Environment environment) {
		return new OutboxRelay(JdbcClient.create(dataSource), new TransactionTemplate(transactions),
				table(environment), environment.getProperty("farine.defaults.outbox-parked-table",
						environment.getProperty("farine.defaults.outbox_parked_table", "farine_outbox_parked")),
				brokers, properties, codec);
	}

	@Bean
	@ConditionalOnMissingBean
	JdbcOutbox farineOutbox(DataSource dataSource, OutboxRelay relay, JsonCodec codec, Environment environment) {
		return new JdbcOutbox(JdbcClient.create(dataSource), table(environment), codec, relay::wake);
	}

	@Bean
	@ConditionalOnMissingBean
	JdbcInbox farineInbox(DataSource dataSource, Environment environment) {
		return new JdbcInbox(JdbcClient.create(dataSource), key(environment, "inbox", "farine_inbox"));
	}

	private static String table(Environment environment) {
		return key(environment, "outbox", DEFAULT_TABLE);
	}

	/** {@code [DEFAULT] outbox_table} or {@code inbox_table}, in either of Boot's spellings. */
	private static String key(Environment environment, String which, String fallback) {
		return environment.getProperty("farine.defaults." + which + "-table",
				environment.getProperty("farine.defaults." + which + "_table", fallback));
	}

}
