package io.farine.outbox;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Where each publisher's next batch starts while the relay drains a backlog: after the last row
 * of its previous full batch. Deleted rows stay in the {@code (publisher, id)} index until
 * PostgreSQL vacuums the table, and a batch read from the publisher's first row would step over
 * every row sent so far, on every batch: a drain quadratic in the backlog. A cursor moves only
 * once its batch committed (a batch rolled back is sent again, from where it started), and is
 * dropped when a batch is not full or after {@value #MAX_AGE_MILLIS} ms: a row committed late
 * with an id below the cursor (its transaction took the id before others that committed first)
 * is then read by the next batch, from the publisher's first row.
 */
final class DrainCursors {

	static final long MAX_AGE_MILLIS = 1000;

	private final Map<String, Cursor> cursors = new ConcurrentHashMap<>();

	/**
	 * The id after which a publisher's next batch starts.
	 * @param publisher the publisher
	 * @return the last id of its previous full batch, or 0 to read from its first row
	 */
	long after(String publisher) {
		Cursor cursor = this.cursors.get(publisher);
		if (cursor == null) {
			return 0;
		}
		if (System.nanoTime() - cursor.since() > TimeUnit.MILLISECONDS.toNanos(MAX_AGE_MILLIS)) {
			this.cursors.remove(publisher);
			return 0;
		}
		return cursor.after();
	}

	/**
	 * Moves a publisher's cursor once the current transaction commits.
	 * @param publisher the publisher
	 * @param lastId the last id of a full batch, or 0 when the batch was not full (more rows may
	 * have committed late below the cursor: the next batch starts from the first row)
	 */
	void moveAfterCommit(String publisher, long lastId) {
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				move(publisher, lastId);
			}

		});
	}

	/** Forgets a publisher's cursor: its next batch starts from its first row. */
	void reset(String publisher) {
		this.cursors.remove(publisher);
	}

	private void move(String publisher, long lastId) {
		if (lastId <= 0) {
			this.cursors.remove(publisher);
			return;
		}
		// a cursor keeps the time its drain started, so that it expires even while every batch is full
		this.cursors.compute(publisher, (key, cursor) -> new Cursor(lastId,
				(cursor != null) ? cursor.since() : System.nanoTime()));
	}

	/** The last id sent of a publisher, and since when its cursor moves. */
	private record Cursor(long after, long since) {
	}

}
