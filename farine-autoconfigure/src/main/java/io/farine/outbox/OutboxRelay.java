package io.farine.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.farine.amqp.BrokerConnections;
import io.farine.config.FarineProperties;
import io.farine.service.FarinePhases;
import io.farine.service.FarineThreads;
import io.farine.service.JsonCodec;
import io.farine.service.TaskThread;

import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Sends what the {@link JdbcOutbox} stored, after its transaction committed, and deletes each row
 * once the broker confirmed it. Woken by every commit that stored rows, and every second anyway
 * (rows of an instance that stopped, or left after a failure). Each publisher's rows (a service's
 * messages to one exchange) go in the order they were stored, by one relay at a time: a relay
 * takes a transaction-scoped advisory lock on the publisher (keyed by the table's oid, see
 * {@link OutboxTable}) and skips it if another relay holds it, so several instances share one
 * table and no row is sent twice in normal operation (at least once after a crash between the
 * confirm and the delete). Rows past their deadline are
 * dropped, logged and counted. Creates the table at start if it is absent, and sends once the
 * application context is refreshed: a backlog left by an earlier run then finds the queues and
 * bindings this application declares as it starts, instead of coming back unroutable and being
 * sent twice. {@link PublisherBatches} sends each batch; rows the broker refuses for good are
 * parked ({@link ParkedRows}). A pass that fails for any reason, an {@code OutOfMemoryError}
 * included, is tried again with a growing backoff, and {@link #failure()} says so meanwhile (the
 * {@code farineOutbox} health indicator): the relay's thread never ends while the application runs.
 * {@link OutboxConfiguration} gauges its backlog and parked rows.
 */
final class OutboxRelay implements SmartLifecycle, ApplicationListener<ContextRefreshedEvent> {

	/** How long stopping waits for the relay's batch, then sends what is left. */
	static final int FLUSH_SECONDS = 10;

	private static final Log logger = LogFactory.getLog(OutboxRelay.class);

	private static final long IDLE_MILLIS = 1000;

	private static final long MAX_BACKOFF_MILLIS = 5000;

	/** How long a relay, or a publisher, that failed waits before it tries again. */
	private final BackOff backOff;

	private final FarineThreads threads;

	private final OutboxTable outbox;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final String table;

	private final PublisherBatches batches;

	private final ParkedRows parked;

	/** Why the relay's last pass failed, and since when it fails; null while it works. */
	private volatile @Nullable Failure failure;

	private final Semaphore wakeUps = new Semaphore(0);

	/** Publishers that failed, by publisher: only the relay's thread reads and writes it. */
	private final Map<String, Retry> retries = new java.util.HashMap<>();

	private volatile @Nullable TaskThread thread;

	private volatile boolean running;

	/**
	 * Set once the application context is refreshed: every lifecycle started, so this
	 * application's queues and bindings are declared before a backlog is sent to them.
	 */
	private volatile boolean refreshed;

	/**
	 * Creates the relay.
	 * @param table the outbox table and its database, the outbox's; each batch is a transaction of that database
	 * @param parkedTable the table of rows the broker refused for good
	 * @param brokers the brokers of the services
	 * @param properties the services' settings
	 * @param codec reads the stored headers
	 * @param backOff how long the relay waits after a pass failed, and how long a publisher that
	 * failed waits to be tried again ({@link #retryBackOff()})
	 * @param threads makes the relay's thread
	 */
	public OutboxRelay(OutboxTable table, String parkedTable, BrokerConnections brokers, FarineProperties properties,
			JsonCodec codec, BackOff backOff, FarineThreads threads) {
		this.backOff = backOff;
		this.threads = threads;
		this.outbox = table;
		this.jdbc = table.jdbc();
		this.transactions = table.transactions();
		this.table = table.name();
		this.parked = new ParkedRows(this.jdbc, this.table, parkedTable);
		this.batches = new PublisherBatches(table, this.parked, brokers, properties, codec);
	}

	/**
	 * The relay's backoff: 250 ms, doubling up to 5 s.
	 * @return the backoff
	 */
	public static BackOff retryBackOff() {
		ExponentialBackOff backOff = new ExponentialBackOff(250, 2.0);
		backOff.setMaxInterval(MAX_BACKOFF_MILLIS);
		return backOff;
	}

	/** Tells the relay that rows were committed; it sends them at once. */
	public void wake() {
		this.wakeUps.release();
	}

	@Override
	public void onApplicationEvent(ContextRefreshedEvent event) {
		this.refreshed = true;
		this.wakeUps.release();
	}

	/**
	 * How many messages the relay sent, for tests and metrics.
	 * @return the count since start
	 */
	public long sent() {
		return this.batches.sent();
	}

	/**
	 * How many messages wait in the outbox table, for a metric: PostgreSQL's count of the table's
	 * live rows ({@code n_live_tup}), one lookup whatever the backlog, where {@code count(*)}
	 * would read every row on every scrape. It counts the rows of every instance, trails commits
	 * by about a second (backends report their counts once a second at most), and is an estimate
	 * after a {@code VACUUM} or {@code ANALYZE} of a large table.
	 * @return the rows not sent yet, as PostgreSQL's statistics count them
	 */
	public long backlog() {
		Long live = this.jdbc.sql("SELECT pg_stat_get_live_tuples(?::oid)")
			.param(this.outbox.oid())
			.query(Long.class)
			.single();
		return Math.max(0, live);
	}

	/**
	 * How many rows the broker refused for good and this relay parked.
	 * @return the count since start
	 */
	public long parked() {
		return this.parked.parked();
	}

	/**
	 * Why the relay's last pass failed, for health: it tries again with a backoff.
	 * @return the failure, or {@code null} while the relay works
	 */
	public @Nullable Failure failure() {
		return this.failure;
	}

	/**
	 * Why the relay fails, and since when.
	 * @param error the last error's text
	 * @param since when the relay's passes started failing
	 */
	public record Failure(String error, Instant since) {
	}

	/**
	 * How many messages were dropped because their deadline passed before they could be sent.
	 * @return the count since start
	 */
	public long expired() {
		return this.batches.expired();
	}

	@Override
	public void start() {
		createTable();
		// the identity that keys the locks, whichever way the table's name is spelled
		this.outbox.oid();
		this.running = true;
		this.thread = this.threads.start("farine-outbox-relay", this::run);
	}

	/** The DDL, also in docs/database.md for schemas managed with Flyway or Liquibase. */
	private void createTable() {
		Tables.createOutbox(this.jdbc, this.table);
		this.parked.createTable();
	}

	private void run() {
		BackOffExecution failing = null;
		long backoff = 0;
		while (this.running) {
			try {
				if (backoff > 0) {
					this.wakeUps.tryAcquire(backoff, TimeUnit.MILLISECONDS);
				}
				if (!this.refreshed) {
					// the consumers this relay starts before have not declared their queues yet
					this.wakeUps.tryAcquire(IDLE_MILLIS, TimeUnit.MILLISECONDS);
					continue;
				}
				boolean more = relayOnce();
				failing = null;
				backoff = 0;
				this.failure = null;
				if (!more) {
					this.wakeUps.tryAcquire(IDLE_MILLIS, TimeUnit.MILLISECONDS);
					this.wakeUps.drainPermits();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (Throwable ex) {
				// an Error too (an OutOfMemoryError on a large batch): a relay that ended would leave the
				// outbox to grow unseen while the application looks well
				if (failing == null) {
					failing = this.backOff.start();
				}
				backoff = failing.nextBackOff();
				if (backoff == BackOffExecution.STOP) {
					// the relay never gives up: the sequence starts again
					failing = null;
					backoff = IDLE_MILLIS;
				}
				Failure previous = this.failure;
				this.failure = new Failure(String.valueOf(ex), (previous != null) ? previous.since() : Instant.now());
				if (this.running) {
					logger.warn("The outbox relay failed on " + this.table + " (" + ex + "); trying again in " + backoff
							+ " ms. The messages stay in the table until sent.");
					logger.debug("Outbox relay failure", ex);
				}
			}
		}
	}

	/**
	 * The publishers that have rows, found in the {@code (publisher, id)} index one jump each (a
	 * loose index scan) rather than by reading every row as {@code SELECT DISTINCT} would, on
	 * every pass. It walks down from the greatest publisher, so that each jump lands on the newest
	 * row of the next publisher down, which is alive: its oldest rows, sent and deleted, stay in
	 * the index until PostgreSQL vacuums the table, and a scan going up would step over them.
	 */
	private String publishers() {
		return "WITH RECURSIVE found AS ((SELECT publisher FROM " + this.table + " ORDER BY publisher DESC LIMIT 1) "
				+ "UNION ALL SELECT (SELECT o.publisher FROM " + this.table + " o WHERE o.publisher < found.publisher "
				+ "ORDER BY o.publisher DESC LIMIT 1) FROM found WHERE found.publisher IS NOT NULL) "
				+ "SELECT publisher FROM found WHERE publisher IS NOT NULL";
	}

	/**
	 * Sends one batch of each publisher no other relay is sending.
	 * @return whether a batch was full: more rows may be waiting
	 */
	boolean relayOnce() {
		List<String> publishers = this.jdbc.sql(publishers()).query(String.class).list();
		boolean more = false;
		long now = System.currentTimeMillis();
		for (String publisher : publishers) {
			Retry retry = this.retries.get(publisher);
			if (retry != null && retry.at() > now) {
				continue;
			}
			// one publisher that cannot send (its exchange is gone, say) holds up no other
			try {
				Boolean full = this.transactions.execute((status) -> this.batches.send(publisher));
				more |= Boolean.TRUE.equals(full);
				this.retries.remove(publisher);
			}
			catch (RuntimeException ex) {
				BackOffExecution backOff = (retry != null) ? retry.backOff() : this.backOff.start();
				long delay = backOff.nextBackOff();
				if (delay == BackOffExecution.STOP) {
					// the backoff gives up on it for now: tried again in a second, as publishers are
					backOff = this.backOff.start();
					delay = IDLE_MILLIS;
				}
				this.retries.put(publisher, new Retry(now + delay, backOff));
				logger.warn("The outbox relay could not send the messages of " + publisher + " (" + ex.getMessage()
						+ "); trying again in " + delay + " ms. They stay in " + this.table + " until sent.");
				logger.debug("Outbox relay failure", ex);
			}
		}
		return more;
	}

	/**
	 * Stops after the consumers and RPC servers finished their handlers, so what they stored is
	 * sent: the relay finishes its batch, then sends what the table still holds, for up to
	 * {@value #FLUSH_SECONDS} s. Rows left then (broker unreachable) wait for the next start.
	 */
	@Override
	public void stop() {
		this.running = false;
		this.wakeUps.release();
		TaskThread relay = this.thread;
		if (relay != null) {
			if (!relay.join(Duration.ofSeconds(FLUSH_SECONDS))) {
				if (Thread.currentThread().isInterrupted()) {
					return;
				}
				relay.interrupt();
				return;
			}
		}
		flush();
	}

	private void flush() {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FLUSH_SECONDS);
		try {
			while (relayOnce() && System.nanoTime() < deadline) {
				// another batch
			}
		}
		catch (RuntimeException ex) {
			logger.warn("The outbox relay could not send what " + this.table + " holds before stopping ("
					+ ex.getMessage() + "); the next start sends it");
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// stops after the consumers and RPC servers, so that what their handlers stored while stopping is sent
		return FarinePhases.OUTBOX;
	}

	/** When a publisher that failed is tried again, and its backoff. */
	private record Retry(long at, BackOffExecution backOff) {
	}

}
