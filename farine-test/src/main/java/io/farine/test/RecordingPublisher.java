package io.farine.test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import io.farine.amqp.PublishException;
import io.farine.amqp.PublishOptions;
import io.farine.amqp.Publisher;

/**
 * A {@link Publisher} for unit tests: records what a service publishes instead of sending it, and
 * can be told to fail as a publish does when the broker does not take a message.
 * {@link ServiceUnderTest} puts one in each {@code @Publish} field.
 * <pre class="code">
 * RecordingPublisher invoices = new RecordingPublisher("billing", "invoice");
 * ...
 * assertThat(invoices.bodies()).containsExactly(Map.of("id", 1));
 * invoices.failWith(new PublishException("broker gone", null));
 * </pre>
 */
public final class RecordingPublisher implements Publisher {

	private final String exchange;

	private final String routingKey;

	private final List<Sent> sent = new ArrayList<>();

	private @Nullable RuntimeException failure;

	/**
	 * Creates a publisher that records.
	 * @param exchange the exchange it stands for
	 * @param routingKey its default routing key
	 */
	public RecordingPublisher(String exchange, String routingKey) {
		this.exchange = exchange;
		this.routingKey = routingKey;
	}

	@Override
	public synchronized void publish(Object body, PublishOptions options) {
		RuntimeException failure = this.failure;
		if (failure != null) {
			throw failure;
		}
		this.sent.add(new Sent(body, (options.routingKey() != null) ? options.routingKey() : this.routingKey, options));
	}

	@Override
	public CompletableFuture<Void> publishAsync(Object body, PublishOptions options) {
		try {
			publish(body, options);
			return CompletableFuture.completedFuture(null);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Makes every publish from now on fail with an exception (and record nothing), until
	 * {@link #succeed()}.
	 * @param failure what publish throws and publishAsync's future fails with, such as a
	 * {@link PublishException}
	 * @return this publisher
	 */
	public synchronized RecordingPublisher failWith(RuntimeException failure) {
		this.failure = failure;
		return this;
	}

	/**
	 * Makes publishes succeed again.
	 * @return this publisher
	 */
	public synchronized RecordingPublisher succeed() {
		this.failure = null;
		return this;
	}

	/**
	 * What was published, oldest first.
	 * @return the messages
	 */
	public synchronized List<Sent> published() {
		return List.copyOf(this.sent);
	}

	/**
	 * The bodies published, oldest first.
	 * @return the bodies, as the service passed them
	 */
	public synchronized List<Object> bodies() {
		return this.sent.stream().map(Sent::body).toList();
	}

	/** Forgets what was published. */
	public synchronized void clear() {
		this.sent.clear();
	}

	@Override
	public String exchange() {
		return this.exchange;
	}

	@Override
	public String routingKey() {
		return this.routingKey;
	}

	@Override
	public String toString() {
		return "RecordingPublisher to exchange '" + this.exchange + "' (" + this.sent.size() + " published)";
	}

	/**
	 * One message published.
	 *
	 * @param body the body as the service passed it
	 * @param routingKey the routing key it went with
	 * @param options its options (headers, time-to-live, persistence)
	 */
	public record Sent(Object body, String routingKey, PublishOptions options) {
	}

}
