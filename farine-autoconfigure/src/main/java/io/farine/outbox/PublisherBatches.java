package io.farine.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.farine.amqp.BrokerConnections;
import io.farine.amqp.OutboundMessage;
import io.farine.config.FarineProperties;
import io.farine.config.ServiceSettings;
import io.farine.service.JsonCodec;
import tools.jackson.core.type.TypeReference;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Sends the next batch of one publisher's outbox rows (a service's messages to one exchange), in
 * the transaction the {@link OutboxRelay} opens: locks the publisher, reads its oldest rows (after
 * those it sent, while a backlog drains: {@link DrainCursors}), drops
 * those past their deadline, publishes the others in order on one channel, waits for every
 * confirm, and deletes the rows. A failure leaves every row for the next batch, which sends them
 * again in the same order (at least once).
 */
final class PublisherBatches {

	private static final Log logger = LogFactory.getLog(PublisherBatches.class);

	static final int BATCH = 100;

	private final OutboxTable outbox;

	private final JdbcClient jdbc;

	private final String table;

	private final BrokerConnections brokers;

	private final FarineProperties properties;

	private final JsonCodec codec;

	private final DrainCursors cursors = new DrainCursors();

	private final AtomicLong sent = new AtomicLong();

	private final AtomicLong expired = new AtomicLong();

	PublisherBatches(OutboxTable table, BrokerConnections brokers, FarineProperties properties, JsonCodec codec) {
		this.outbox = table;
		this.jdbc = table.jdbc();
		this.table = table.name();
		this.brokers = brokers;
		this.properties = properties;
		this.codec = codec;
	}

	long sent() {
		return this.sent.get();
	}

	long expired() {
		return this.expired.get();
	}

	/**
	 * Sends the publisher's next batch, unless another relay holds the publisher.
	 * @param publisher the publisher
	 * @return whether the batch was full: more rows may be waiting
	 */
	boolean send(String publisher) {
		if (!this.outbox.tryLock(publisher)) {
			return false;
		}
		List<Row> rows = this.jdbc.sql("SELECT id, service, exchange, routing_key, message_id, persistent, headers, "
				+ "expires_at, body FROM " + this.table + " WHERE publisher = ? AND id > ? ORDER BY id LIMIT " + BATCH
				+ " FOR UPDATE SKIP LOCKED")
			.params(publisher, this.cursors.after(publisher))
			.query((rs, n) -> new Row(rs.getLong("id"), new OutboundMessage(rs.getString("service"),
					rs.getString("exchange"), rs.getString("routing_key"), rs.getString("message_id"),
					rs.getBoolean("persistent"), headers(rs.getString("headers")),
					(rs.getTimestamp("expires_at") != null) ? rs.getTimestamp("expires_at").toInstant() : null,
					rs.getBytes("body"))))
			.list();
		if (rows.isEmpty()) {
			this.cursors.reset(publisher);
			return false;
		}
		List<Long> done = new ArrayList<>();
		List<OutboundMessage> sending = new ArrayList<>();
		Instant now = Instant.now();
		for (Row row : rows) {
			if (row.message().expired(now)) {
				this.expired.incrementAndGet();
				logger.warn("Dropping outbox message " + row.message().messageId() + " to exchange '"
						+ row.message().exchange() + "': its TTL passed before the broker took it");
			}
			else {
				sending.add(row.message());
			}
			done.add(row.id());
		}
		// a publisher is one service's messages to one exchange: one broker, one channel, in order;
		// a failure rolls the batch back and it is sent again, in order (at least once)
		ServiceSettings settings = this.properties.service(rows.get(0).message().service());
		List<CompletableFuture<Void>> confirms = sending.isEmpty() ? List.of()
				: this.brokers.broker(settings).publishInOrder(sending, settings);
		Duration timeout = settings.publishTimeout();
		for (int i = 0; i < confirms.size(); i++) {
			try {
				confirms.get(i).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (Exception ex) {
				throw new IllegalStateException("the broker did not confirm a message of " + publisher + ": "
						+ ex.getMessage(), ex);
			}
		}
		if (!done.isEmpty()) {
			this.jdbc.sql("DELETE FROM " + this.table + " WHERE id = ANY(?)")
				.param(done.toArray(new Long[0]))
				.update();
			this.sent.addAndGet(confirms.size());
		}
		boolean full = rows.size() == BATCH;
		this.cursors.moveAfterCommit(publisher, full ? rows.get(rows.size() - 1).id() : 0);
		return full;
	}

	private Map<String, Object> headers(@Nullable String json) {
		if (json == null || json.isEmpty()) {
			return Map.of();
		}
		return this.codec.mapper().readValue(json.getBytes(StandardCharsets.UTF_8), new TypeReference<Map<String, Object>>() {
		});
	}

	private record Row(long id, OutboundMessage message) {
	}

}
