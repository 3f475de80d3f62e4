package io.farine.test;

import org.jspecify.annotations.Nullable;

/**
 * What happened to one message a {@code @Consume} handler took, as
 * {@link FarineTestClient#awaitHandled(String)} reports it: handled (perhaps after retries),
 * dead-lettered with its reason, or failed otherwise (requeued, or settled by the handler itself).
 * For a call of an {@code @OnEvent}, {@code @OnQuery} or {@code @SseListener} method (never
 * retried): handled after 1 attempt, or failed with its error.
 *
 * @param handler the handler, {@code service.method}
 * @param outcome what became of the message
 * @param attempts how many times the handler ran: 1 when it succeeded at once, 0 when the body
 * could not be read
 * @param error why it failed the last time, or {@code null} when it was handled
 * @param deadLetterQueue where it was dead-lettered, or {@code null}
 */
public record Handling(String handler, Outcome outcome, int attempts, @Nullable Throwable error,
		@Nullable String deadLetterQueue) {

	/**
	 * Whether the handler returned (perhaps after retries) and the message was acknowledged.
	 * @return true if handled
	 */
	public boolean handled() {
		return this.outcome == Outcome.HANDLED;
	}

	/**
	 * Whether the message went to its dead-letter queue.
	 * @return true if dead-lettered
	 */
	public boolean deadLettered() {
		return this.outcome == Outcome.DEAD_LETTERED;
	}

	/**
	 * How many times the handler ran again after its first failure.
	 * @return the retries, 0 when it succeeded at once
	 */
	public int retries() {
		return Math.max(0, this.attempts - 1);
	}

	/**
	 * Why the message was not handled: its error's type and message.
	 * @return the reason, or {@code null} when it was handled
	 */
	public @Nullable String reason() {
		Throwable error = this.error;
		return (error != null) ? error.getClass().getName() + ": " + error.getMessage() : null;
	}

	@Override
	public String toString() {
		return this.handler + " " + this.outcome.name().toLowerCase().replace('_', '-') + " after " + this.attempts
				+ " attempt(s)" + ((this.error != null) ? " (" + reason() + ")" : "")
				+ ((this.deadLetterQueue != null) ? " to '" + this.deadLetterQueue + "'" : "");
	}

	/** What became of a message. */
	public enum Outcome {

		/** The handler returned; the message was acknowledged. */
		HANDLED,

		/** The handler failed for good (or could not take the body); the message went to its dead-letter queue. */
		DEAD_LETTERED,

		/**
		 * The handler failed and the message was requeued, or the handler had settled it itself;
		 * an {@code @OnEvent}, {@code @OnQuery} or {@code @SseListener} method threw.
		 */
		FAILED

	}

}
