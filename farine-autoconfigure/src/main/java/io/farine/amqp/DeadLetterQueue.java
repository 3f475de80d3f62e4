package io.farine.amqp;

import java.time.Duration;
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
	 * then acknowledges the original. If the republish fails, the original goes back to its queue
	 * instead: a message is never dropped.
	 */
	void send(Delivery delivery, Throwable error, int attempts) {
		Message message = delivery.message();
		MessageProperties received = message.getMessageProperties();
		Map<String, Object> headers = new LinkedHashMap<>(received.getHeaders());
		headers.put(EXCEPTION_TYPE, error.getClass().getName());
		headers.put(EXCEPTION_MESSAGE, String.valueOf(error.getMessage()));
		headers.put(ORIGINAL_QUEUE, this.queue);
		headers.put(ORIGINAL_EXCHANGE, String.valueOf(received.getReceivedExchange()));
		headers.put(ORIGINAL_ROUTING_KEY, String.valueOf(received.getReceivedRoutingKey()));
		headers.put(ATTEMPTS, attempts);
		// no expiration: a dead-lettered message is kept until someone looks at it
		AMQP.BasicProperties properties = ClientCharsetConverter.INSTANCE
			.fromMessageProperties(received, ClientCharsetConverter.CLIENT_CHARSET)
			.builder()
			.headers(headers)
			.messageId(Wire.newId())
			.expiration(null)
			.build();
		try {
			PublisherConfirms.await(this.broker.publish("", this.name, true, properties, message.getBody(), true),
					this.publishTimeout, "dead-letter queue '" + this.name + "'");
			delivery.ackNow();
		}
		catch (RuntimeException ex) {
			logger.error("Could not dead-letter a message from queue '" + this.queue + "'; requeueing it", ex);
			delivery.nackAndRequeue();
		}
	}

}
