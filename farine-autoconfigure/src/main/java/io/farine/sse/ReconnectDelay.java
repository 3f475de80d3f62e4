package io.farine.sse;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The pause before an SSE listener connects again. A server's {@code retry:} may lengthen the
 * base delay but never shorten it below {@code sse_reconnect_delay}: a {@code retry: 1} would
 * otherwise make a connection attempt, and a warning, every millisecond while the server is down.
 * From that base the pauses grow exponentially (Spring's {@link ExponentialBackOff}, doubling,
 * with jitter that never goes below the base) up to {@code sse_reconnect_max_delay}, or the
 * server's {@code retry:} when that is longer; only a connection that delivered events starts
 * the sequence again. One listener's thread uses it.
 */
final class ReconnectDelay {

	private final Duration floor;

	private final Duration max;

	private @Nullable Duration serverRetry;

	private @Nullable BackOffExecution sequence;

	/**
	 * @param floor the shortest pause, {@code sse_reconnect_delay} (positive)
	 * @param max the longest pause the backoff grows to, {@code sse_reconnect_max_delay}
	 */
	ReconnectDelay(Duration floor, Duration max) {
		this.floor = floor;
		this.max = max;
	}

	/** The stream's {@code retry:} field: the reconnection time the server asks for. */
	void serverAsked(Duration retry) {
		this.serverRetry = retry;
	}

	/**
	 * The pause before the next connection.
	 * @param afterEvents whether the connection that ended delivered events (the sequence starts
	 * again); otherwise it failed, or ended with nothing, and the pause grows
	 * @return the pause, never shorter than the floor
	 */
	Duration next(boolean afterEvents) {
		BackOffExecution current = this.sequence;
		if (afterEvents || current == null) {
			current = backOff().start();
			this.sequence = current;
		}
		return Duration.ofMillis(current.nextBackOff());
	}

	private ExponentialBackOff backOff() {
		Duration retry = this.serverRetry;
		long base = Math.max(this.floor.toMillis(), (retry != null) ? retry.toMillis() : 0);
		ExponentialBackOff backOff = new ExponentialBackOff(base, 2.0);
		backOff.setMaxInterval(Math.max(base, this.max.toMillis()));
		// Spring scales the jitter with the interval and never goes below the initial interval
		backOff.setJitter(base / 2);
		return backOff;
	}

}
