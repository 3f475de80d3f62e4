package io.farine.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The table a run ends with, and its verdict: the run passes when every published request has its
 * row and its {@code created} event, and nothing is left in the outbox, the parking table or a
 * dead-letter queue. Duplicated events are allowed (delivery is at least once) but counted. The
 * last line is always {@code published N, lost L, duplicated D}.
 *
 * @param snapshot the counts once the run drained (or gave up waiting)
 * @param queues messages in each queue of the run's virtual host
 * @param faults faults injected, by kind
 * @param missing some of the published names without a row or an event, for a first look
 */
record Report(ChaosOptions options, Duration took, boolean drained, Snapshot snapshot, int republished, int redeliveries,
		Map<String, Long> queues, Map<Fault, Integer> faults, int serviceStarts, int serviceExits, List<String> missing) {

	long lost() {
		return Math.max(0, this.snapshot.published() - this.snapshot.distinct());
	}

	long deadLettered() {
		return this.queues.entrySet().stream().filter((queue) -> queue.getKey().endsWith(".dlq")).mapToLong(Map.Entry::getValue).sum();
	}

	List<String> failures() {
		List<String> failures = new ArrayList<>();
		int messages = this.options.messages();
		Snapshot counts = this.snapshot;
		if (!this.drained) {
			failures.add("the system did not drain: no progress for " + this.options.stuckAfter().toSeconds() + " s");
		}
		if (counts.published() != messages) {
			failures.add("the broker confirmed " + counts.published() + " of " + messages + " requests");
		}
		if (counts.rows() != counts.published()) {
			failures.add("rows in users (" + counts.rows() + ") differ from published (" + counts.published() + ")");
		}
		if (counts.distinct() != counts.published()) {
			failures.add("distinct created events (" + counts.distinct() + ") differ from published ("
					+ counts.published() + ")");
		}
		if (counts.outbox() != 0 || counts.parked() != 0) {
			failures.add("rows left in the outbox (" + counts.outbox() + ") or parked (" + counts.parked() + ")");
		}
		if (deadLettered() != 0) {
			failures.add(deadLettered() + " message(s) dead-lettered");
		}
		if (!this.missing.isEmpty()) {
			failures.add("missing, for instance: " + String.join(", ", this.missing));
		}
		return failures;
	}

	boolean passed() {
		return failures().isEmpty();
	}

	void print() {
		Snapshot counts = this.snapshot;
		int faultCount = this.faults.values().stream().mapToInt(Integer::intValue).sum();
		String deadLetterQueues = this.queues.entrySet()
			.stream()
			.filter((queue) -> queue.getKey().endsWith(".dlq"))
			.map((queue) -> queue.getKey() + " " + queue.getValue())
			.collect(Collectors.joining(", "));
		System.out.println();
		System.out.printf("Chaos run, seed %d, %,d messages over %s, took %s%n", this.options.seed(),
				this.options.messages(), Clock.format(this.options.load()), Clock.format(this.took));
		row("published (confirmed by the broker)", counts.published(),
				(this.republished > 0) ? this.republished + " published again after a failure" : "");
		row("rows in users", counts.rows(), "");
		row("distinct created events", counts.distinct(), "");
		row("duplicate created events", counts.duplicates(), "sent again by the service: at least once");
		row("redelivered to the event counter", this.redeliveries, "its own connection lost; not duplicates");
		row("rows left in " + Snapshot.OUTBOX, counts.outbox(), "");
		row("rows left in " + Snapshot.PARKED, counts.parked(), "");
		row("messages in dead-letter queues", deadLettered(), deadLetterQueues);
		row("messages left in queue create", this.queues.getOrDefault("create", -1L), "");
		row("service starts", this.serviceStarts,
				(this.serviceExits > 0) ? this.serviceExits + " after it ended by itself" : "");
		row("faults injected", faultCount, "");
		this.faults.forEach((fault, count) -> row("  " + fault.description(), count, ""));
		List<String> failures = failures();
		for (String failure : failures) {
			System.out.println("FAILED: " + failure);
		}
		System.out.printf("published %d, lost %d, duplicated %d%n", counts.published(), lost(), counts.duplicates());
		System.out.flush();
	}

	private static void row(String what, long count, String note) {
		System.out.printf("  %-48s %,8d%s%n", what, count, note.isEmpty() ? "" : "   " + note);
	}

}
