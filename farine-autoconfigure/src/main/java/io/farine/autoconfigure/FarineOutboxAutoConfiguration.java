package io.farine.autoconfigure;

import java.time.Duration;
import java.util.Objects;

import javax.sql.DataSource;

import io.farine.amqp.BrokerConnections;
import io.farine.config.FarineProperties;
import io.farine.config.InvalidSettingException;
import io.farine.outbox.InboxPurge;
import io.farine.outbox.JdbcInbox;
import io.farine.outbox.JdbcOutbox;
import io.farine.outbox.OutboxRelay;
import io.farine.outbox.OutboxTable;
import io.farine.service.JsonCodec;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The transactional outbox, when the application has a database: a publish inside a transaction
 * is stored in the outbox table ({@code outbox_table}, default {@code farine_outbox}) with the
 * transaction and sent after the commit; and the inbox of {@code @Consume(idempotent = true)}
 * consumers ({@code inbox_table}, default {@code farine_inbox}), purged of the rows older than
 * {@code inbox_retention} (default 7 days). {@code farine.outbox.enabled=false}
 * switches both off.
 */
@AutoConfiguration(after = FarineAutoConfiguration.class,
		afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration" })
@ConditionalOnBean({ DataSource.class, PlatformTransactionManager.class, BrokerConnections.class })
@ConditionalOnBooleanProperty(name = "farine.outbox.enabled", matchIfMissing = true)
public final class FarineOutboxAutoConfiguration {

	static final String DEFAULT_TABLE = "farine_outbox";

	static final String DEFAULT_INBOX_TABLE = "farine_inbox";

	static final String DEFAULT_PARKED_TABLE = "farine_outbox_parked";

	static final Duration DEFAULT_INBOX_RETENTION = Duration.ofDays(7);

	/** The one DataSource of the outbox and its relay: both take it from here. */
	@Bean
	@ConditionalOnMissingBean
	OutboxTable farineOutboxTable(DataSource dataSource, FarineProperties properties) {
		return new OutboxTable(dataSource,
				Objects.requireNonNullElse(properties.defaults().outboxTable(), DEFAULT_TABLE));
	}

	@Bean
	@ConditionalOnMissingBean
	OutboxRelay farineOutboxRelay(OutboxTable table, BrokerConnections brokers, FarineProperties properties,
			JsonCodec codec) {
		return new OutboxRelay(table,
				Objects.requireNonNullElse(properties.defaults().outboxParkedTable(), DEFAULT_PARKED_TABLE), brokers,
				properties, codec);
	}

	@Bean
	@ConditionalOnMissingBean
	JdbcOutbox farineOutbox(OutboxTable table, OutboxRelay relay, JsonCodec codec) {
		return new JdbcOutbox(table, codec, relay::wake);
	}

	@Bean
	@ConditionalOnMissingBean
	JdbcInbox farineInbox(DataSource dataSource, FarineProperties properties) {
		return new JdbcInbox(dataSource,
				Objects.requireNonNullElse(properties.defaults().inboxTable(), DEFAULT_INBOX_TABLE));
	}

	@Bean
	@ConditionalOnMissingBean
	InboxPurge farineInboxPurge(JdbcInbox inbox, FarineProperties properties) {
		Duration retention = properties.defaults().inboxRetention();
		try {
			return new InboxPurge(inbox, (retention != null) ? retention : DEFAULT_INBOX_RETENTION);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidSettingException("DEFAULT", "inbox_retention", "[DEFAULT] " + ex.getMessage() + ".");
		}
	}

}
