package io.farine.chaos;

import java.sql.SQLException;

/**
 * What the run sees at one moment: the numbers the drain waits on, the progress lines and the
 * report show. A count PostgreSQL could not give (it is restarting) is -1.
 *
 * @param published requests the broker confirmed
 * @param rows rows in {@code users}
 * @param distinct user names that came in {@code created} events
 * @param duplicates events for a name seen before, sent again by the service
 * @param outbox rows left in {@code farine_outbox}
 * @param parked rows in {@code farine_outbox_parked} (0 while farine has no such table)
 */
record Snapshot(long published, long rows, long distinct, long duplicates, long outbox, long parked) {

	static final String OUTBOX = "farine_outbox";

	static final String PARKED = "farine_outbox_parked";

	static Snapshot take(LoadGenerator load, EventCounter events) {
		long rows;
		long outbox;
		long parked;
		try {
			rows = RunDatabase.rows("users");
			outbox = RunDatabase.rows(OUTBOX);
			parked = RunDatabase.rows(PARKED);
		}
		catch (SQLException ex) {
			rows = -1;
			outbox = -1;
			parked = -1;
		}
		return new Snapshot(load.confirmed(), rows, events.distinct(), events.duplicates(), outbox, parked);
	}

	/** Whether everything published has its row and its event, and nothing waits in the outbox. */
	boolean complete(int messages) {
		return this.published == messages && this.rows == messages && this.distinct == messages && this.outbox == 0
				&& this.parked == 0;
	}

	@Override
	public String toString() {
		return String.format("published %,d, rows %s, events %,d (%,d duplicate), outbox %s", this.published,
				known(this.rows), this.distinct, this.duplicates, known(this.outbox));
	}

	private static String known(long count) {
		return (count < 0) ? "?" : String.format("%,d", count);
	}

}
