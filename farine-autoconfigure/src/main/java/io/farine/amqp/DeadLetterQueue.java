package io.farine.amqp;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

/**
 * Where the messages of one consumed queue go when their handler cannot take them: queue
 * {@code <queue>.dlq}, each message with the error and where it came from in its headers. A
 * message leaves its queue only once the broker confirmed its copy here.
 */
final class DeadLetterQueue {

	/** Header naming the Java type of the error that sent a message to the dead-letter queue. */
	static final String EXCEPTION_TYPE = "x-exception-type";

	/** Header holding the error message that sent a message to the dead-letter queue. */
	static final String EXCEPTION_MESSAGE = "x-exception-message";

	/** Header naming the queue the message was consumed from. */
	static final String ORIGINAL_QUEUE = "x-original-queue";

	/** Header naming the exchange the message was published to. */
	static final String ORIGINAL_EXCHANGE = "x-original-exchange";

	/** Header holding the routing key the message was published with. */
	static final String ORIGINAL_ROUTING_KEY = "x-original-routing-key";

	/** Header counting how many times the handler was called. */
	static final String ATTEMPTS = "x-attempts";

	/** Header holding when the message was dead-lettered, ISO-8601 in UTC. */
	static final String DEAD_LETTERED_AT = "x-dead-lettered-at";

	private static final Log logger = LogFactory.getLog(DeadLetterQueue.class);

	private final String queue;

	private final String name;

	private final Broker broker;

	private final Duration publishTimeout;

	DeadLetterQueue(String queue, String name, Broker broker, Duration publishTimeout) {
		this.queue = queue;
		this.name = name;
		this.broker = broker;
		this.publishTimeout = publishTimeout;
	}

	/** The dead-letter queue of a queue. */
	static String of(String queue) {
		return queue + ".dlq";
	}

	String name() {
		return this.name;
	}

	/**
	 * Republishes a message here with the error in its headers, waits for the broker's confirm,
	 * then acknowledges the original. If the broker is out of reach, the original goes back to its
	 * queue instead. If the broker refuses the copy itself (it does not fit, or the dead-letter
	 * queue is gone), a copy without the original's headers is tried; failing that, the original
	 * is rejected without requeue and logged with its queue and message id, so it cannot come
	 * back for ever.
	 */
	void send(Delivery delivery, Throwable error, int attempts) {
		Message message = delivery.message();
		MessageProperties received = message.getMessageProperties();
		Map<String, Object> added = new LinkedHashMap<>();
		added.put(EXCEPTION_TYPE, error.getClass().getName());
		added.put(EXCEPTION_MESSAGE, String.valueOf(error.getMessage()));
		added.put(ORIGINAL_QUEUE, this.queue);
		added.put(ORIGINAL_EXCHANGE, String.valueOf(received.getReceivedExchange()));
		added.put(ORIGINAL_ROUTING_KEY, String.valueOf(received.getReceivedRoutingKey()));
		added.put(ATTEMPTS, attempts);
		added.put(DEAD_LETTERED_AT, Instant.now().toString());
		Map<String, Object> headers = DeadLetterHeaders.of(received.getHeaders(), added, delivery.frameMax());
		RuntimeException refused;
		try {
			publish(delivery, headers);
			delivery.ackNow();
			return;
		}
		catch (RuntimeException ex) {
			if (!refusedForTheMessageItself(ex)) {
				logger.error("Could not dead-letter message " + received.getMessageId() + " from queue '" + this.queue
						+ "'; requeueing it", ex);
				delivery.nackAndRequeue();
				return;
			}
			refused = ex;
		}
		try {
			added.put(EXCEPTION_MESSAGE, added.get(EXCEPTION_MESSAGE) + " [the original headers were dropped from "
					+ "this copy: the broker refused the copy with them: " + refused.getMessage() + "]");
			publish(delivery, DeadLetterHeaders.of(Map.of(), added, delivery.frameMax()));
			logger.warn("Dead-lettered message " + received.getMessageId() + " from queue '" + this.queue
					+ "' without its headers: the broker refused the copy with them: " + refused.getMessage());
			delivery.ackNow();
		}
		catch (RuntimeException ex) {
			logger.error("Dropping message " + received.getMessageId() + " from queue '" + this.queue
					+ "': it cannot be dead-lettered to '" + this.name + "' (" + ex.getMessage()
					+ "), and requeueing it would bring it back for ever", ex);
			delivery.rejectWithoutRequeue();
		}
	}

	private void publish(Delivery delivery, Map<String, Object> headers) {
		// no expiration: a dead-lettered message is kept until someone looks at it
		AMQP.BasicProperties properties = ClientCharsetConverter.INSTANCE
			.fromMessageProperties(delivery.message().getMessageProperties(), ClientCharsetConverter.CLIENT_CHARSET)
			.builder()
			.headers(headers)
			.messageId(Wire.newId())
			.expiration(null)
			.build();
		PublisherConfirms.await(this.broker.publish("", this.name, true, properties, delivery.body(), true),
				this.publishTimeout, "dead-letter queue '" + this.name + "'");
	}

	/**
	 * Whether the broker or the client refused the copy for what it is (it cannot be encoded, or no
	 * queue took it), which sending it again cannot fix; a lost connection or
	 * a timeout can pass.
	 */
	private static boolean refusedForTheMessageItself(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof UnroutableMessageException || cause instanceof IllegalArgumentException) {
				return true;
			}
		}
		return false;
	}

}
