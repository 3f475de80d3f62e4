package io.farine.outbox;

import java.time.Duration;

import javax.sql.DataSource;

import io.farine.amqp.BrokerConnections;
import io.farine.config.FarineProperties;
import io.farine.config.InvalidSettingException;
import io.farine.service.FarineThreads;
import io.farine.service.JsonCodec;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The outbox's table, relay, writer and the inbox with its purge; imported by
 * {@code FarineOutboxAutoConfiguration}, which decides whether there is an outbox at all.
 */
@Configuration(proxyBeanMethods = false)
class OutboxConfiguration {

	static final String DEFAULT_TABLE = "farine_outbox";

	static final Duration DEFAULT_INBOX_RETENTION = Duration.ofDays(7);

	/** The one DataSource of the outbox and its relay: both take it from here. */
	@Bean
	@ConditionalOnMissingBean
	OutboxTable farineOutboxTable(DataSource dataSource, Environment environment) {
		return new OutboxTable(dataSource, table(environment));
	}

	@Bean
	@ConditionalOnMissingBean
	OutboxRelay farineOutboxRelay(OutboxTable table, BrokerConnections brokers, FarineProperties properties,
			JsonCodec codec, Environment environment, FarineThreads threads) {
		return new OutboxRelay(table, environment.getProperty("farine.defaults.outbox-parked-table",
				environment.getProperty("farine.defaults.outbox_parked_table", "farine_outbox_parked")), brokers,
				properties, codec, OutboxRelay.retryBackOff(), threads);
	}

	@Bean
	@ConditionalOnMissingBean
	JdbcOutbox farineOutbox(OutboxTable table, OutboxRelay relay, JsonCodec codec) {
		return new JdbcOutbox(table, codec, relay::wake);
	}

	@Bean
	@ConditionalOnMissingBean
	JdbcInbox farineInbox(DataSource dataSource, Environment environment) {
		return new JdbcInbox(dataSource, key(environment, "inbox", "farine_inbox"));
	}

	@Bean
	@ConditionalOnMissingBean
	InboxPurge farineInboxPurge(JdbcInbox inbox, FarineProperties properties, FarineThreads threads) {
		Duration retention = properties.defaults().inboxRetention();
		try {
			return new InboxPurge(inbox, (retention != null) ? retention : DEFAULT_INBOX_RETENTION, threads);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidSettingException("DEFAULT", "inbox_retention", "[DEFAULT] " + ex.getMessage() + ".");
		}
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
