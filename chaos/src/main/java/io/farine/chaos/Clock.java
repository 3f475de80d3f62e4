package io.farine.chaos;

import java.time.Duration;

/** The run's clock: what it prints is stamped with the time since the load began. */
final class Clock {

	private final long start = System.nanoTime();

	Duration elapsed() {
		return Duration.ofNanos(System.nanoTime() - this.start);
	}

	void print(String line) {
		System.out.println("[" + format(elapsed()) + "] " + line);
		System.out.flush();
	}

	/** {@code m:ss}, as the schedule and the report show times. */
	static String format(Duration duration) {
		return String.format("%d:%02d", duration.toMinutes(), duration.toSecondsPart());
	}

}
