package io.farine.outbox;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.regex.Pattern;

import io.farine.amqp.OutboundMessage;
import io.farine.amqp.Outbox;
import io.farine.service.JsonCodec;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The transactional outbox: a message published inside a transaction becomes a row of the
 * outbox table in that transaction, so it exists exactly when the transaction's other changes
 * do. After the commit the {@link OutboxRelay} is woken to send it; a rollback leaves nothing.
 * A message published outside a transaction while the broker is unreachable is stored too, and
 * sent when the broker is back. Only a transaction of the outbox's own DataSource holds a message:
 * in a transaction of another database (or none) the publisher sends it itself.
 */
final class JdbcOutbox implements Outbox {

	private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

	private final JdbcClient jdbc;

	private final OutboxTable outbox;

	private final String table;

	private final JsonCodec codec;

	private final Runnable wake;

	/**
	 * Creates the outbox.
	 * @param table the outbox table and its database, the relay's
	 * @param codec writes the headers as JSON
	 * @param wake tells the relay that rows were committed
	 */
	JdbcOutbox(OutboxTable table, JsonCodec codec, Runnable wake) {
		this.outbox = table;
		this.jdbc = table.jdbc();
		this.table = table.name();
		this.codec = codec;
		this.wake = wake;
	}

	static String checkedTableName(String table, String key) {
		if (!TABLE_NAME.matcher(table).matches()) {
			throw new IllegalArgumentException(key + " = '" + table + "' is not valid: expected a table name "
					+ "(letters, digits and _, optionally schema.table)");
		}
		return table;
	}

	@Override
	public void store(OutboundMessage message) {
		// no transaction here: the insert commits at once, and the relay may send it right away
		insert(message);
		this.wake.run();
	}

	@Override
	public boolean storeInTransaction(OutboundMessage message) {
		if (!DataSourceTransaction.activeOn(this.outbox.dataSource())) {
			return false;
		}
		insert(message);
		if (!TransactionSynchronizationManager.hasResource(this)) {
			// one wake-up per transaction, after it committed
			TransactionSynchronizationManager.bindResource(this, Boolean.TRUE);
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

				@Override
				public void afterCompletion(int status) {
					TransactionSynchronizationManager.unbindResourceIfPossible(JdbcOutbox.this);
					if (status == STATUS_COMMITTED) {
						JdbcOutbox.this.wake.run();
					}
				}

			});
		}
		return true;
	}

	private void insert(OutboundMessage message) {
		this.jdbc.sql("INSERT INTO " + this.table + " (publisher, service, exchange, routing_key, message_id, "
				+ "persistent, headers, expires_at, body, mandatory) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			.params(publisher(message), message.service(), message.exchange(), message.routingKey(),
					message.messageId(), message.persistent(),
					message.headers().isEmpty() ? null
							: new String(this.codec.write(message.headers()), StandardCharsets.UTF_8),
					(message.expiresAt() != null) ? Timestamp.from(message.expiresAt()) : null, message.body(),
					message.mandatory())
			.update();
	}

	/** What messages keep their order within: those of one service to one exchange. */
	static String publisher(OutboundMessage message) {
		return message.service() + ":" + message.exchange();
	}

}
