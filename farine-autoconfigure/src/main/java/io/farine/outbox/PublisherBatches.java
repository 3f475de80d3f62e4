package io.farine.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.farine.amqp.Broker;
import io.farine.amqp.BrokerConnections;
import io.farine.amqp.OutboundMessage;
import io.farine.amqp.UnroutableMessageException;
import io.farine.config.FarineProperties;
import io.farine.config.ServiceSettings;
import io.farine.service.JsonCodec;
import tools.jackson.core.type.TypeReference;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Sends the next batch of one publisher's outbox rows (a service's messages to one exchange), in
 * the transaction the {@link OutboxRelay} opens: locks the publisher, reads its oldest rows (after
 * those it sent, while a backlog drains: {@link DrainCursors}; at most {@value #BATCH} and
 * {@value #BATCH_BYTES} bytes of bodies, always one), drops those past their deadline, publishes
 * the others in order on one channel, waits for every confirm, and deletes the rows. A row the
 * broker refuses for what it is (no queue takes a mandatory message, headers too large) is parked
 * ({@link ParkedRows}) and the rows after it go on; a message that is not mandatory and that no
 * queue took counts as sent. Any other failure leaves every row for the next batch, which sends
 * them again in the same order (at least once).
 */
final class PublisherBatches {

	private static final Log logger = LogFactory.getLog(PublisherBatches.class);

	static final int BATCH = 100;

	/** The most bytes of bodies one batch reads and sends, unless its first row alone is larger. */
	static final long BATCH_BYTES = 8L * 1024 * 1024;

	private final ParkedRows parked;

	private final OutboxTable outbox;

	private final JdbcClient jdbc;

	private final String table;

	private final BrokerConnections brokers;

	private final FarineProperties properties;

	private final JsonCodec codec;

	private final DrainCursors cursors = new DrainCursors();

	private final AtomicLong sent = new AtomicLong();

	private final AtomicLong expired = new AtomicLong();

	/**
	 * Each service's settings and broker, resolved at its first batch: resolving them (parsing
	 * its {@code amqp_uri} among others) was a fifth of the relay's CPU.
	 */
	private final Map<String, Target> targets = new ConcurrentHashMap<>();

	PublisherBatches(OutboxTable table, ParkedRows parked, BrokerConnections brokers, FarineProperties properties,
			JsonCodec codec) {
		this.parked = parked;
		this.outbox = table;
		this.jdbc = table.jdbc();
		this.table = table.name();
		this.brokers = brokers;
		this.properties = properties;
		this.codec = codec;
	}

	/**
	 * The query of a publisher's next rows: its {@value #BATCH} oldest after an id, locked.
	 * @param table the outbox table
	 * @return the SQL, with the publisher and the id as parameters
	 */
	static String nextRows(String table) {
		return "SELECT id, octet_length(body) FROM " + table + " WHERE publisher = ? AND id > ? ORDER BY id LIMIT "
				+ BATCH + " FOR UPDATE SKIP LOCKED";
	}

	/**
	 * Makes this transaction read the next rows by walking the {@code (publisher, id)} index, whatever
	 * the table's statistics say. A backlog arrives in one burst, before autovacuum has analyzed the
	 * table: planned on the statistics of an empty table (the prepared statement's generic plan
	 * lives as long as the connection), the query read every row of the publisher and sorted them
	 * to return 100, so a drain slowed as the square of its backlog (1,000,000 rows: 290 rows/s
	 * after the relay had drained 100,000, against 8,700 in a fresh database). With sorting
	 * unavailable to the planner, only the ordered index scan is left. {@code SET LOCAL}: it ends
	 * with the relay's transaction, so the pool's connections go back as they came.
	 * @param jdbc the outbox's database, in the relay's transaction
	 */
	static void orderedByIndex(JdbcClient jdbc) {
		jdbc.sql("SET LOCAL enable_sort = off").update();
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
		orderedByIndex(this.jdbc);
		// sizes first (octet_length reads no body): bodies are read only for the rows that fit
		List<long[]> sizes = this.jdbc.sql(nextRows(this.table))
			.params(publisher, this.cursors.after(publisher))
			.query((rs, n) -> new long[] { rs.getLong(1), rs.getLong(2) })
			.list();
		if (sizes.isEmpty()) {
			this.cursors.reset(publisher);
			return false;
		}
		List<Long> ids = new ArrayList<>();
		long bytes = 0;
		for (long[] size : sizes) {
			if (!ids.isEmpty() && bytes + size[1] > BATCH_BYTES) {
				break;
			}
			ids.add(size[0]);
			bytes += size[1];
		}
		List<Row> rows = this.jdbc.sql("SELECT id, service, exchange, routing_key, message_id, persistent, headers, "
				+ "expires_at, body, mandatory FROM " + this.table + " WHERE id = ANY(?) ORDER BY id")
			.param(ids.toArray(new Long[0]))
			.query((rs, n) -> new Row(rs.getLong("id"), new OutboundMessage(rs.getString("service"),
					rs.getString("exchange"), rs.getString("routing_key"), rs.getString("message_id"),
					rs.getBoolean("persistent"), headers(rs.getString("headers")),
					(rs.getTimestamp("expires_at") != null) ? rs.getTimestamp("expires_at").toInstant() : null,
					rs.getBytes("body"), rs.getBoolean("mandatory"))))
			.list();
		List<Long> done = new ArrayList<>();
		List<Row> sending = new ArrayList<>();
		Instant now = Instant.now();
		for (Row row : rows) {
			if (row.message().expired(now)) {
				this.expired.incrementAndGet();
				logger.warn("Dropping outbox message " + row.message().messageId() + " to exchange '"
						+ row.message().exchange() + "': its TTL passed before the broker took it");
			}
			else {
				sending.add(row);
			}
			done.add(row.id());
		}
		// a publisher is one service's messages to one exchange: one broker, one channel, in order;
		// a failure rolls the batch back and it is sent again, in order (at least once)
		Target target = this.targets.computeIfAbsent(rows.get(0).message().service(), this::target);
		ServiceSettings settings = target.settings();
		List<CompletableFuture<Void>> confirms = sending.isEmpty() ? List.of()
				: target.broker().publishInOrder(sending.stream().map(Row::message).toList(), settings);
		Duration timeout = settings.publishTimeout();
		int delivered = 0;
		for (int i = 0; i < confirms.size(); i++) {
			Row row = sending.get(i);
			try {
				confirms.get(i).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
				delivered++;
			}
			catch (ExecutionException ex) {
				Throwable cause = ex.getCause();
				if (cause instanceof UnroutableMessageException && !row.message().mandatory()) {
					this.brokers.countUnroutable();
					delivered++;
				}
				else if (refusedForGood(cause)) {
					this.parked.park(row.id(), row.message().messageId(), publisher, String.valueOf(cause.getMessage()));
				}
				else {
					throw new IllegalStateException("the broker did not confirm a message of " + publisher + ": "
							+ cause.getMessage(), cause);
				}
			}
			catch (Exception ex) {
				throw new IllegalStateException("the broker did not confirm a message of " + publisher + ": "
						+ ex.getMessage(), ex);
			}
		}
		this.jdbc.sql("DELETE FROM " + this.table + " WHERE id = ANY(?)")
			.param(done.toArray(new Long[0]))
			.update();
		this.sent.addAndGet(delivered);
		boolean more = sizes.size() == BATCH || ids.size() < sizes.size();
		this.cursors.moveAfterCommit(publisher, more ? ids.get(ids.size() - 1) : 0);
		return more;
	}

	/**
	 * Whether the broker or the client refused a message for what it is: no queue takes it, or
	 * its headers cannot be sent. Sending it again would fail again.
	 */
	private static boolean refusedForGood(@Nullable Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof UnroutableMessageException || cause instanceof IllegalArgumentException) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
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

	private Target target(String service) {
		ServiceSettings settings = this.properties.service(service);
		return new Target(settings, this.brokers.broker(settings));
	}

	/** Where one service's rows go. */
	private record Target(ServiceSettings settings, Broker broker) {
	}

}
