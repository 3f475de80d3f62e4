package io.farine.amqp;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for the broker's confirm of a published message, for the senders that must not go on
 * before the broker took it (a blocking publish, a dead-letter copy, a cluster event). Every
 * failure, a timeout included, is a {@link PublishException}.
 */
final class PublisherConfirms {

	private PublisherConfirms() {
	}

	/**
	 * Waits for a publish future, turning every failure into a {@link PublishException}.
	 * @param confirm the future from {@link Broker#publish}
	 * @param timeout how long to wait
	 * @param what the destination, for the timeout message
	 */
	static void await(CompletableFuture<Void> confirm, Duration timeout, String what) {
		try {
			confirm.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof PublishException publish) {
				throw publish;
			}
			throw new PublishException("Publish to " + what + " failed: " + ex.getCause(), ex.getCause());
		}
		catch (TimeoutException ex) {
			PublishException timedOut = new PublishException("No confirm from the broker for a message to " + what
					+ " within " + timeout + "; it may or may not have been delivered", ex);
			// a message still waiting for a connection is then never sent
			confirm.completeExceptionally(timedOut);
			throw timedOut;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new PublishException("Interrupted while waiting for the confirm of a message to " + what, ex);
		}
	}

}
