package io.farine.autoconfigure;

import javax.sql.DataSource;

import io.farine.amqp.BrokerConnections;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Import;
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
@Import(FarineOutboxAutoConfiguration.Outbox.class)
public final class FarineOutboxAutoConfiguration {

	static final class Outbox extends ImportByName {

		Outbox() {
			super("io.farine.outbox.OutboxConfiguration");
		}

	}

}
