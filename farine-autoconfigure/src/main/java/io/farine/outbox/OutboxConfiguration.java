package io.farine.outbox;

import java.time.Duration;
import java.util.Objects;

import javax.sql.DataSource;

import io.farine.amqp.BrokerConnections;
import io.farine.config.FarineProperties;
import io.farine.config.InvalidSettingException;
import io.farine.service.FarineThreads;
import io.farine.service.JsonCodec;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The outbox's table, relay, writer and the inbox with its purge, with the relay's meters
 * ({@code farine.outbox.backlog}, {@code farine.outbox.parked}) when Micrometer is on the
 * classpath; imported by {@code FarineOutboxAutoConfiguration}, which decides whether there is an
 * outbox at all.
 */
@Configuration(proxyBeanMethods = false)
class OutboxConfiguration {

	static final String DEFAULT_TABLE = "farine_outbox";

	static final String DEFAULT_INBOX_TABLE = "farine_inbox";

	static final String DEFAULT_PARKED_TABLE = "farine_outbox_parked";

	static final Duration DEFAULT_INBOX_RETENTION = Duration.ofDays(7);

	/**
	 * The DataSource of the outbox and its relay: both take it from here. When it routes to the
	 * services' own databases, this relay sends the primary database's rows, and
	 * {@link ServiceOutboxes} the others'.
	 */
	@Bean
	@ConditionalOnMissingBean
	OutboxTable farineOutboxTable(DataSource dataSource, FarineProperties properties) {
		return new OutboxTable(dataSource,
				Objects.requireNonNullElse(properties.defaults().outboxTable(), DEFAULT_TABLE));
	}

	@Bean
	@ConditionalOnMissingBean
	OutboxRelay farineOutboxRelay(OutboxTable table, BrokerConnections brokers, FarineProperties properties,
			JsonCodec codec, FarineThreads threads) {
		return new OutboxRelay(table,
				Objects.requireNonNullElse(properties.defaults().outboxParkedTable(), DEFAULT_PARKED_TABLE), brokers,
				properties, codec, OutboxRelay.retryBackOff(), threads);
	}

	/** The relays and purges of the services' own databases, when the DataSource routes to some. */
	@Bean
	@ConditionalOnMissingBean
	ServiceOutboxes farineServiceOutboxes(DataSource dataSource, BrokerConnections brokers,
			FarineProperties properties, JsonCodec codec, FarineThreads threads) {
		String outboxTable = Objects.requireNonNullElse(properties.defaults().outboxTable(), DEFAULT_TABLE);
		String parkedTable = Objects.requireNonNullElse(properties.defaults().outboxParkedTable(), DEFAULT_PARKED_TABLE);
		return new ServiceOutboxes(ServiceOutboxes.others(dataSource),
				(database) -> new OutboxRelay(new OutboxTable(database, outboxTable), parkedTable, brokers, properties,
						codec, OutboxRelay.retryBackOff(), threads),
				Objects.requireNonNullElse(properties.defaults().inboxTable(), DEFAULT_INBOX_TABLE),
				(inbox) -> inboxPurge(inbox, properties, threads));
	}

	@Bean
	@ConditionalOnMissingBean
	JdbcOutbox farineOutbox(OutboxTable table, OutboxRelay relay, ServiceOutboxes others, JsonCodec codec) {
		return new JdbcOutbox(table, codec, () -> {
			relay.wake();
			others.wake();
		});
	}

	@Bean
	@ConditionalOnMissingBean
	JdbcInbox farineInbox(DataSource dataSource, FarineProperties properties) {
		return new JdbcInbox(dataSource,
				Objects.requireNonNullElse(properties.defaults().inboxTable(), DEFAULT_INBOX_TABLE));
	}

	@Bean
	@ConditionalOnMissingBean
	InboxPurge farineInboxPurge(JdbcInbox inbox, FarineProperties properties, FarineThreads threads) {
		return inboxPurge(inbox, properties, threads);
	}

	private static InboxPurge inboxPurge(JdbcInbox inbox, FarineProperties properties, FarineThreads threads) {
		Duration retention = properties.defaults().inboxRetention();
		try {
			return new InboxPurge(inbox, (retention != null) ? retention : DEFAULT_INBOX_RETENTION, threads);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidSettingException("DEFAULT", "inbox_retention", "[DEFAULT] " + ex.getMessage() + ".");
		}
	}

	/** The relay's meters ({@code farineOutboxMeterBinder}), with Micrometer on the classpath. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class Metrics {

		@Bean
		@ConditionalOnMissingBean(name = "farineOutboxMeterBinder")
		MeterBinder farineOutboxMeterBinder(ObjectProvider<OutboxRelay> outbox) {
			return (registry) -> outbox.ifAvailable((relay) -> {
				FunctionCounter.builder("farine.outbox.parked", relay, OutboxRelay::parked)
					.description("Outbox rows the broker refused for good, moved to the parking table")
					.register(registry);
				Gauge.builder("farine.outbox.backlog", relay, OutboxRelay::backlog)
					.description("Messages waiting in the outbox table")
					.register(registry);
			});
		}

	}

}
