package io.farine.amqp;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import io.farine.amqp.DeadLetterQueues.DeadLetterException;
import io.farine.amqp.DeadLetterQueues.Reason;
import org.jspecify.annotations.Nullable;

/**
 * Sends dead-lettered messages back to the exchange and routing key they were first published
 * with, one at a time, on one channel of the publishing connection: take the message
 * unacknowledged, republish it (mandatory, same message id, farine's dead-letter headers left
 * out), wait for the broker's confirm, and only then acknowledge it in the dead-letter queue.
 * <p>
 * If the connection drops or the confirm does not come, the channel is gone and the broker puts
 * every message it had not been acknowledged for back at its place, the one in flight included:
 * nothing is lost, and the one in flight may be in both queues (at least once; it keeps its
 * message id, so an idempotent consumer handles it once). Messages skipped on the way to one
 * message id are held unacknowledged and go back, in order, when the channel closes. A replay of
 * all stops at the count the queue had when it began, so that messages failing again and coming
 * back are not replayed in a loop.
 */
final class DeadLetterReplay {

	/** The most messages looked at for one message id, held unacknowledged meanwhile. */
	static final int MAX_SCAN = 10_000;

	private final Broker broker;

	private final String queue;

	private final Duration timeout;

	private volatile boolean returned;

	DeadLetterReplay(Broker broker, String queue, Duration timeout) {
		this.broker = broker;
		this.queue = queue;
		this.timeout = timeout;
	}

	DeadLetterQueues.Replay replay(@Nullable String messageId, long count) throws IOException {
		Channel channel = DeadLetterQueues.channel(this.broker.connectionFactory().getPublisherConnectionFactory(),
				this.broker.description());
		int replayed = 0;
		try {
			channel.confirmSelect();
			// the broker returns a message no queue took before it confirms it
			channel.addReturnListener((returned) -> this.returned = true);
			long looked = (messageId != null) ? Math.min(count, MAX_SCAN) : count;
			for (long seen = 0; seen < looked; seen++) {
				GetResponse response = channel.basicGet(this.queue, false);
				if (response == null) {
					break;
				}
				if (messageId != null && !messageId.equals(response.getProps().getMessageId())) {
					continue;
				}
				republish(channel, response);
				channel.basicAck(response.getEnvelope().getDeliveryTag(), false);
				replayed++;
				if (messageId != null) {
					break;
				}
			}
			if (messageId != null && replayed == 0) {
				throw new DeadLetterException(Reason.NOT_FOUND, "No message with id '" + messageId
						+ "' in dead-letter queue '" + this.queue + "' (its first " + looked + " messages looked at)");
			}
			return new DeadLetterQueues.Replay(this.queue, messageId, replayed, count - replayed);
		}
		catch (IOException | ShutdownSignalException | TimeoutException | InterruptedException ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			// the broker closes the channel for this message (its exchange is gone), the connection for all
			Reason reason = (ex instanceof ShutdownSignalException closed && !closed.isHardError()) ? Reason.CONFLICT
					: Reason.UNAVAILABLE;
			throw new DeadLetterException(reason, "Replay of dead-letter queue '" + this.queue
					+ "' stopped after " + replayed + " message(s), on " + this.broker.description() + ": "
					+ ex.getMessage() + "; the messages not replayed are still in the queue, in order (the last one "
					+ "may also have reached its destination): replay again", ex);
		}
		finally {
			close(channel);
		}
	}

	private void republish(Channel channel, GetResponse response)
			throws IOException, TimeoutException, InterruptedException {
		AMQP.BasicProperties received = response.getProps();
		Map<String, Object> headers = (received.getHeaders() != null) ? new HashMap<>(received.getHeaders())
				: new HashMap<>();
		String exchange = DeadLetter.text(headers.get(DeadLetterQueue.ORIGINAL_EXCHANGE));
		String routingKey = DeadLetter.text(headers.get(DeadLetterQueue.ORIGINAL_ROUTING_KEY));
		if (exchange == null || routingKey == null) {
			throw new DeadLetterException(Reason.CONFLICT, "Message '" + received.getMessageId()
					+ "' in dead-letter queue '" + this.queue + "' has no " + DeadLetterQueue.ORIGINAL_EXCHANGE + " and "
					+ DeadLetterQueue.ORIGINAL_ROUTING_KEY + " headers, so it has nowhere to be replayed to; it stays");
		}
		headers.keySet().removeAll(DeadLetter.FARINE_HEADERS);
		// set by a quorum queue at each redelivery, not part of the message
		headers.remove("x-delivery-count");
		this.returned = false;
		channel.basicPublish(exchange, routingKey, true, received.builder().headers(headers).build(),
				response.getBody());
		channel.waitForConfirmsOrDie(this.timeout.toMillis());
		if (this.returned) {
			throw new DeadLetterException(Reason.CONFLICT, "No queue took message '" + received.getMessageId()
					+ "' replayed to exchange '" + exchange + "' with routing key '" + routingKey + "'; it stays in "
					+ "dead-letter queue '" + this.queue + "'");
		}
	}

	/** Closes a channel; the broker then puts back the messages it holds unacknowledged. */
	static void close(Channel channel) {
		try {
			if (channel.isOpen()) {
				channel.close();
			}
		}
		catch (IOException | TimeoutException | ShutdownSignalException ex) {
			// gone with its connection: the broker put its messages back
		}
	}

}
