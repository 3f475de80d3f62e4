package io.farine.amqp;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import com.rabbitmq.client.Channel;
import io.farine.config.FarineProperties;
import io.farine.config.ServiceSettings;
import io.farine.service.ConsumeEndpoint;
import io.farine.service.ServiceEndpoints;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * The dead-letter queues of this application's running consumers ({@code <queue>.dlq}), for the
 * operators who look at them and act on them through the {@code farine} Actuator endpoint: each
 * queue's count, its first messages, replay to where they were first published, purge. Public
 * because that endpoint lives in {@code io.farine.actuate}; applications do not name it.
 * <p>
 * Only these queues can be addressed: any other name is refused, naming the known ones, so an
 * HTTP caller never reaches a queue the application does not own. One operation at a time runs
 * on a queue in this process. Nothing leaves a dead-letter queue before the broker confirmed its
 * copy at the destination.
 */
public final class DeadLetterQueues {

	/** The most messages one peek shows. */
	public static final int MAX_PEEK = 100;

	private final ServiceEndpoints endpoints;

	private final FarineProperties properties;

	private final BrokerConnections brokers;

	private final Map<String, ReentrantLock> busy = new ConcurrentHashMap<>();

	/**
	 * Creates the view; opens no connection.
	 * @param endpoints the application's consumers
	 * @param properties their services' settings: broker, {@code publish_timeout}
	 * @param brokers the brokers
	 */
	public DeadLetterQueues(ServiceEndpoints endpoints, FarineProperties properties, BrokerConnections brokers) {
		this.endpoints = endpoints;
		this.properties = properties;
		this.brokers = brokers;
	}

	/**
	 * Each dead-letter queue with its message count, by name; a queue the broker cannot be asked
	 * about has an error instead of counts.
	 * @return the queues
	 */
	public List<QueueSummary> list() {
		return owned().values().stream().map(this::summary).toList();
	}

	private QueueSummary summary(Owned queue) {
		try {
			QueueInformation info = queue.broker().admin().getQueueInfo(queue.name());
			return (info != null)
					? new QueueSummary(queue.name(), queue.service(), queue.consumed(), info.getMessageCount(),
							info.getConsumerCount(), null)
					: new QueueSummary(queue.name(), queue.service(), queue.consumed(), null, null, missing(queue));
		}
		catch (RuntimeException ex) {
			return new QueueSummary(queue.name(), queue.service(), queue.consumed(), null, null,
					"Broker " + queue.broker().description() + " did not answer: " + ex.getMessage());
		}
	}

	/**
	 * The first messages of a queue, left where they are, in order.
	 * @param queue the dead-letter queue
	 * @param limit how many, 1 to {@value #MAX_PEEK}
	 * @return the messages, first first
	 * @throws DeadLetterException if the queue is not one of the application's, or out of reach
	 */
	public Peek peek(String queue, int limit) {
		if (limit < 1 || limit > MAX_PEEK) {
			throw new DeadLetterException(Reason.BAD_REQUEST,
					"limit must be between 1 and " + MAX_PEEK + ", not " + limit);
		}
		Owned owned = find(queue);
		return locked(owned, (info) -> DeadLetterBrowser.peek(owned.broker(), queue, limit, info));
	}

	/**
	 * Republishes messages of a queue to the exchange and routing key they were first published
	 * with, each removed from the queue once the broker confirmed it: the one with a message id
	 * (those before it stay, in order), or every message the queue held when the replay began.
	 * @param queue the dead-letter queue
	 * @param messageId the message to replay, or {@code null} for all
	 * @return what was replayed
	 * @throws DeadLetterException if the queue is unknown, the message not found, a consumer
	 * takes from the queue, or the broker is out of reach (what was not confirmed stays)
	 */
	public Replay replay(String queue, @Nullable String messageId) {
		Owned owned = find(queue);
		return locked(owned, (info) -> {
			if (info.getConsumerCount() > 0) {
				throw new DeadLetterException(Reason.CONFLICT, "Dead-letter queue '" + queue + "' has "
						+ info.getConsumerCount() + " consumer(s), which would take messages while they are replayed;"
						+ " stop them first");
			}
			return new DeadLetterReplay(owned.broker(), queue, owned.settings().publishTimeout()).replay(messageId,
					info.getMessageCount());
		});
	}

	/**
	 * Deletes every message of a queue, for good.
	 * @param queue the dead-letter queue
	 * @param confirm the queue's name again, so that no call purges by mistake
	 * @return how many messages were deleted
	 * @throws DeadLetterException if the queue is unknown or {@code confirm} is not its name
	 */
	public Purge purge(String queue, @Nullable String confirm) {
		Owned owned = find(queue);
		if (!queue.equals(confirm)) {
			throw new DeadLetterException(Reason.BAD_REQUEST, "Purging dead-letter queue '" + queue
					+ "' deletes its messages for good: repeat its name as confirm=" + queue
					+ ((confirm != null) ? " (confirm was '" + confirm + "')" : ""));
		}
		return locked(owned, (info) -> new Purge(queue, owned.broker().admin().purgeQueue(queue)));
	}

	private Owned find(String queue) {
		Map<String, Owned> owned = owned();
		Owned found = owned.get(queue);
		if (found == null) {
			throw new DeadLetterException(Reason.NOT_FOUND, "'" + queue + "' is not a dead-letter queue of this "
					+ "application; its dead-letter queues are: "
					+ (owned.isEmpty() ? "none (no consumer runs here)" : String.join(", ", owned.keySet())));
		}
		return found;
	}

	/** The dead-letter queue of each running consumer, by name. */
	private Map<String, Owned> owned() {
		Map<String, Owned> owned = new TreeMap<>();
		for (ConsumeEndpoint consumer : this.endpoints.runningConsumers()) {
			ServiceSettings settings = this.properties.service(consumer.service());
			// a broadcast consumer's dead-letter queue is that of its configured queue, as AmqpRuntime declares it
			String name = DeadLetterQueue.of(consumer.queue());
			owned.putIfAbsent(name, new Owned(name, consumer.service(), consumer.queue(),
					this.brokers.broker(settings), settings));
		}
		return owned;
	}

	private <T> T locked(Owned queue, Operation<T> operation) {
		ReentrantLock lock = this.busy.computeIfAbsent(queue.name(), (name) -> new ReentrantLock());
		if (!lock.tryLock()) {
			throw new DeadLetterException(Reason.CONFLICT, "Another operation on dead-letter queue '" + queue.name()
					+ "' is running in this process; try again once it has finished");
		}
		try {
			QueueInformation info = queue.broker().admin().getQueueInfo(queue.name());
			if (info == null) {
				throw new DeadLetterException(Reason.NOT_FOUND, missing(queue));
			}
			return operation.run(info);
		}
		catch (DeadLetterException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new DeadLetterException(Reason.UNAVAILABLE, "Dead-letter queue '" + queue.name() + "' on "
					+ queue.broker().description() + " could not be reached: " + ex.getMessage()
					+ "; its messages are where they were", ex);
		}
		finally {
			lock.unlock();
		}
	}

	private static String missing(Owned queue) {
		return "Dead-letter queue '" + queue.name() + "' does not exist on " + queue.broker().description()
				+ " (deleted?); it is declared again when its consumer starts";
	}

	/** A channel of its own, outside the factory's cache: closing it puts its unacknowledged messages back. */
	static Channel channel(ConnectionFactory connections, String description) throws java.io.IOException {
		Channel channel = connections.createConnection().getDelegate().createChannel();
		if (channel == null) {
			throw new java.io.IOException("No channel available on the connection to " + description);
		}
		return channel;
	}

	@FunctionalInterface
	private interface Operation<T> {

		T run(QueueInformation info) throws Exception;

	}

	private record Owned(String name, String service, String consumed, Broker broker, ServiceSettings settings) {
	}

	/**
	 * A dead-letter queue.
	 *
	 * @param queue its name
	 * @param service the service whose consumer dead-letters to it
	 * @param consumerQueue the queue that consumer takes from
	 * @param messages how many messages it holds, or {@code null} with an error
	 * @param consumers how many consumers take from it (normally none), or {@code null} with an error
	 * @param error why the broker could not tell, or {@code null}
	 */
	public record QueueSummary(String queue, String service, String consumerQueue, @Nullable Long messages,
			@Nullable Integer consumers, @Nullable String error) {
	}

	/**
	 * The first messages of a queue.
	 *
	 * @param queue the queue
	 * @param messages how many messages it held
	 * @param consumers how many consumers take from it (they may take messages while they are looked at)
	 * @param first its first messages, in order
	 */
	public record Peek(String queue, long messages, int consumers, List<DeadLetter> first) {
	}

	/**
	 * What a replay did.
	 *
	 * @param queue the queue
	 * @param messageId the message asked for, or {@code null} for all
	 * @param replayed how many messages were republished, confirmed and removed from the queue
	 * @param left how many of the messages the queue held when the replay began are still in it (messages
	 * dead-lettered since, replayed ones that failed again among them, are not counted)
	 */
	public record Replay(String queue, @Nullable String messageId, int replayed, long left) {
	}

	/**
	 * What a purge did.
	 *
	 * @param queue the queue
	 * @param purged how many messages were deleted
	 */
	public record Purge(String queue, long purged) {
	}

	/** Why an operation was refused or failed, which the endpoint turns into an HTTP status. */
	public enum Reason {

		/** A parameter is missing or out of range (400). */
		BAD_REQUEST,

		/** No such dead-letter queue or message (404). */
		NOT_FOUND,

		/** The queue's state stops the operation: a consumer, another operation, a message with nowhere to go (409). */
		CONFLICT,

		/** The broker could not be reached or did not confirm in time (503). */
		UNAVAILABLE

	}

	/** An operation on a dead-letter queue that was refused or failed; its message says what to do. */
	public static final class DeadLetterException extends RuntimeException {

		private final Reason reason;

		DeadLetterException(Reason reason, String message) {
			super(message);
			this.reason = reason;
		}

		DeadLetterException(Reason reason, String message, Throwable cause) {
			super(message, cause);
			this.reason = reason;
		}

		/**
		 * Why.
		 * @return the reason
		 */
		public Reason reason() {
			return this.reason;
		}

	}

}
