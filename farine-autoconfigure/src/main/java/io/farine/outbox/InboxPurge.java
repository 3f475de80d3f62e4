package io.farine.outbox;

import java.time.Duration;
import java.time.Instant;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.farine.service.FarineThreads;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Deletes the inbox rows older than {@code inbox_retention} (7 days unless configured), so that
 * the inbox of idempotent consumers does not grow for ever: a message redelivered after that is
 * handled again. Runs {@value #FIRST_RUN_SECONDS} s after start at most, then every tenth of the
 * retention (between 1 s and 1 h), on one thread of its own with a fixed delay, so that a purge
 * never overlaps the previous one; each purge deletes {@value #BATCH} rows per statement until
 * none is left, and stops between two batches when the application stops. Several instances may
 * purge one table at once: a row is deleted once, whoever deletes it.
 */
final class InboxPurge implements SmartLifecycle {

	static final int BATCH = 10_000;

	static final long FIRST_RUN_SECONDS = 10;

	private static final Log logger = LogFactory.getLog(InboxPurge.class);

	private final JdbcInbox inbox;

	private final Duration retention;

	private final int batch;

	private final FarineThreads threads;

	private volatile @Nullable ThreadPoolTaskScheduler scheduler;

	/**
	 * Creates the purge; nothing runs before {@link #start()}.
	 * @param inbox the inbox
	 * @param retention how long a row is kept
	 * @param threads makes the purge's thread
	 */
	InboxPurge(JdbcInbox inbox, Duration retention, FarineThreads threads) {
		this(inbox, retention, BATCH, threads);
	}

	InboxPurge(JdbcInbox inbox, Duration retention, int batch) {
		this(inbox, retention, batch, new FarineThreads());
	}

	private InboxPurge(JdbcInbox inbox, Duration retention, int batch, FarineThreads threads) {
		if (retention.isNegative() || retention.isZero()) {
			throw new IllegalArgumentException("inbox_retention = " + retention + " is not valid: expected a positive "
					+ "duration, such as 7d");
		}
		this.inbox = inbox;
		this.retention = retention;
		this.batch = batch;
		this.threads = threads;
	}

	/** How long between two purges: a tenth of the retention, from 1 s to 1 h. */
	Duration interval() {
		Duration tenth = this.retention.dividedBy(10);
		return (tenth.compareTo(Duration.ofSeconds(1)) < 0) ? Duration.ofSeconds(1)
				: (tenth.compareTo(Duration.ofHours(1)) > 0) ? Duration.ofHours(1) : tenth;
	}

	@Override
	public synchronized void start() {
		ThreadPoolTaskScheduler tasks = this.threads.scheduler("farine-inbox-purge");
		// stopping interrupts a purge between two batches, and waits for the statement running
		tasks.setAwaitTerminationSeconds(10);
		tasks.initialize();
		Duration first = Duration.ofSeconds(Math.min(FIRST_RUN_SECONDS, interval().toSeconds()));
		tasks.scheduleWithFixedDelay(this::purgeQuietly, Instant.now().plus(first), interval());
		this.scheduler = tasks;
	}

	@Override
	public synchronized void stop() {
		ThreadPoolTaskScheduler tasks = this.scheduler;
		this.scheduler = null;
		if (tasks != null) {
			tasks.shutdown();
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

	private void purgeQuietly() {
		try {
			purge();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not purge the inbox table " + this.inbox.table() + " (" + ex.getMessage()
					+ "); trying again in " + interval().toSeconds() + " s");
			logger.debug("Inbox purge failure", ex);
		}
	}

	/**
	 * Deletes the rows older than the retention, batch after batch, until none is left.
	 * @return how many rows went, in how many batches
	 */
	Purged purge() {
		Instant before = Instant.now().minus(this.retention);
		String after = "(0,0)";
		int rows = 0;
		int batches = 0;
		JdbcInbox.PurgedBatch done;
		do {
			done = this.inbox.purge(before, after, this.batch);
			after = done.last();
			rows += done.rows();
			batches++;
		}
		while (done.rows() == this.batch && !Thread.currentThread().isInterrupted());
		if (rows > 0) {
			logger.info("Purged " + rows + " rows older than " + this.retention + " from the inbox table "
					+ this.inbox.table() + " in " + batches + " batch(es)");
		}
		return new Purged(rows, batches);
	}

	/**
	 * What a purge deleted.
	 * @param rows the rows
	 * @param batches the statements that deleted them, the last one deleting fewer than a batch
	 */
	record Purged(int rows, int batches) {
	}

}
