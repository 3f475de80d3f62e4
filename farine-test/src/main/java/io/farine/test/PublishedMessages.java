package io.farine.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;

import io.farine.amqp.Wire;
import io.farine.service.JsonCodec;

/**
 * The messages published to one exchange with one routing key from the moment
 * {@link FarineTestClient#published(String, String)} asked for them: a queue of the test's own,
 * bound like a consumer's, catches them on the broker, so what is seen is what a peer would
 * receive. Close it (or let the application context close) to remove the queue.
 */
public final class PublishedMessages implements AutoCloseable {

	private final String exchange;

	private final String routingKey;

	private final Duration timeout;

	private final RabbitAdmin admin;

	private final Queue queue;

	private final DirectMessageListenerContainer container;

	private final List<PublishedMessage> messages = new ArrayList<>();

	PublishedMessages(ConnectionFactory connections, Exchange exchange, String routingKey, JsonCodec codec,
			Duration timeout) {
		this.exchange = exchange.getName();
		this.routingKey = routingKey;
		this.timeout = timeout;
		this.admin = new RabbitAdmin(connections);
		this.queue = new Queue("farine-test." + Wire.newId(), false, false, true);
		try {
			this.admin.declareExchange(exchange);
		}
		catch (RuntimeException ex) {
			// declared already by the application, perhaps with other settings: binding is enough
		}
		this.admin.declareQueue(this.queue);
		this.admin.declareBinding(new Binding(this.queue.getName(), Binding.DestinationType.QUEUE, this.exchange,
				routingKey, null));
		this.container = new DirectMessageListenerContainer(connections);
		this.container.setQueueNames(this.queue.getName());
		this.container.setAcknowledgeMode(AcknowledgeMode.AUTO);
		this.container.setMessageListener((Message message) -> {
			MessageProperties properties = message.getMessageProperties();
			add(new PublishedMessage(this.exchange, String.valueOf(properties.getReceivedRoutingKey()),
					properties.getHeaders(), message.getBody(), codec));
		});
		this.container.afterPropertiesSet();
		this.container.start();
	}

	/**
	 * Waits until at least a number of messages arrived.
	 * @param count how many
	 * @return the messages that arrived, oldest first (perhaps more than {@code count})
	 * @throws AssertionError if fewer arrived within the client's timeout, listing those that did
	 */
	public synchronized List<PublishedMessage> await(int count) {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		try {
			while (this.messages.size() < count) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					throw new AssertionError("Expected " + count + " message(s) published to exchange '" + this.exchange
							+ "' with routing key '" + this.routingKey + "' within " + this.timeout + ", but "
							+ this.messages.size() + " arrived: " + this.messages);
				}
				wait(Math.max(1, left / 1_000_000));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting for messages published to '" + this.exchange + "'", ex);
		}
		return List.copyOf(this.messages);
	}

	/**
	 * The messages that arrived so far, without waiting.
	 * @return the messages, oldest first
	 */
	public synchronized List<PublishedMessage> messages() {
		return List.copyOf(this.messages);
	}

	private synchronized void add(PublishedMessage message) {
		this.messages.add(message);
		notifyAll();
	}

	/** Stops catching messages and deletes the test's queue. */
	@Override
	public void close() {
		this.container.stop();
		this.container.destroy();
		this.admin.deleteQueue(this.queue.getName());
	}

	@Override
	public String toString() {
		return "messages published to exchange '" + this.exchange + "' with routing key '" + this.routingKey + "'";
	}

}
