package io.farine.amqp;

import java.util.concurrent.CompletableFuture;

/**
 * Sends JSON messages to one exchange with one default routing key; what {@link Publish} injects.
 * <p>
 * Every publish waits for the broker's confirm: {@link #publishAsync} returns at once with a
 * future completed when the broker confirms (so many messages can be in flight), {@link #publish}
 * blocks for it. A negative acknowledgement, a message no queue was bound to receive (published
 * as mandatory and returned), a lost connection or no confirm within {@code publish_timeout}
 * fail the future with a {@link PublishException}: a message is never lost silently.
 */
public interface Publisher {

	/**
	 * Publishes a body and waits for the broker's confirm.
	 * @param body a {@code Map}, record, POJO or {@code String}, sent as JSON; a {@code byte[]}
	 * is sent as is and must already be JSON
	 * @throws PublishException if the broker did not take the message
	 */
	default void publish(Object body) {
		publish(body, PublishOptions.DEFAULTS);
	}

	/**
	 * Publishes a body with per-message options and waits for the broker's confirm.
	 * @param body the body, see {@link #publish(Object)}
	 * @param options routing key, headers, time-to-live, persistence
	 * @throws PublishException if the broker did not take the message
	 */
	void publish(Object body, PublishOptions options);

	/**
	 * Publishes a body without waiting.
	 * @param body the body, see {@link #publish(Object)}
	 * @return a future completed when the broker confirms, or failed with a {@link PublishException}
	 */
	default CompletableFuture<Void> publishAsync(Object body) {
		return publishAsync(body, PublishOptions.DEFAULTS);
	}

	/**
	 * Publishes a body with per-message options without waiting.
	 * @param body the body, see {@link #publish(Object)}
	 * @param options routing key, headers, time-to-live, persistence
	 * @return a future completed when the broker confirms, or failed with a {@link PublishException}
	 */
	CompletableFuture<Void> publishAsync(Object body, PublishOptions options);

	/**
	 * The exchange this publisher sends to.
	 * @return the exchange name
	 */
	String exchange();

	/**
	 * The routing key used unless a message overrides it.
	 * @return the routing key
	 */
	String routingKey();

}
