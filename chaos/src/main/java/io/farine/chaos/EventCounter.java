package io.farine.chaos;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plays a service that listens to {@code created} events: reads its own quorum queue, counts each
 * user name, and acknowledges after counting. A name seen again is a duplicate the service sent
 * (at least once: a relay that died between the broker's confirm and the row's delete sends the
 * row again), unless the broker flags it as redelivered to this counter after a connection of its
 * own was lost: those are counted apart, as they say nothing about the service. A supervising
 * thread reconsumes, on a surviving node, whenever the connection or the consumer is gone.
 */
final class EventCounter implements AutoCloseable {

	private final ConnectionFactory factory;

	private final JsonMapper json = new JsonMapper();

	private final Map<String, Integer> names = new ConcurrentHashMap<>();

	private final AtomicInteger duplicates = new AtomicInteger();

	private final AtomicInteger redeliveries = new AtomicInteger();

	private final AtomicInteger unreadable = new AtomicInteger();

	private final AtomicInteger connections = new AtomicInteger();

	private final Thread supervisor = new Thread(this::supervise, "chaos-event-counter");

	private volatile boolean closed;

	private volatile @Nullable Connection connection;

	private volatile @Nullable Channel channel;

	/** Whether the broker cancelled the consumer of the current channel. */
	private volatile boolean cancelled;

	EventCounter(ConnectionFactory factory) {
		this.factory = factory;
		this.supervisor.setDaemon(true);
	}

	void start() {
		this.supervisor.start();
	}

	private void supervise() {
		while (!this.closed) {
			Channel current = this.channel;
			if (current == null || !current.isOpen() || this.cancelled) {
				try {
					consume();
				}
				catch (Exception ex) {
					// a node down, a queue without a leader yet: try again shortly
					disconnect();
				}
			}
			try {
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	private void consume() throws IOException, java.util.concurrent.TimeoutException {
		disconnect();
		Connection opened = this.factory.newConnection(ClusterVhost.nodes(), "farine-chaos-counter");
		this.connections.incrementAndGet();
		this.connection = opened;
		Channel channel = opened.createChannel();
		channel.basicQos(500);
		this.cancelled = false;
		this.channel = channel;
		channel.basicConsume(ClusterVhost.EVENTS_QUEUE, false, new DefaultConsumer(channel) {

			@Override
			public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
					throws IOException {
				count(body, envelope.isRedeliver());
				getChannel().basicAck(envelope.getDeliveryTag(), false);
			}

			@Override
			public void handleCancel(String tag) {
				// the broker cancelled the consumer (its queue's leader moved, say): consume again
				if (getChannel() == EventCounter.this.channel) {
					EventCounter.this.cancelled = true;
				}
			}

		});
	}

	private void count(byte[] body, boolean redelivered) {
		String name;
		try {
			JsonNode event = this.json.readTree(body);
			name = event.path("name").asString("");
		}
		catch (RuntimeException ex) {
			name = "";
		}
		if (name.isEmpty()) {
			this.unreadable.incrementAndGet();
			return;
		}
		if (this.names.merge(name, 1, Integer::sum) > 1) {
			(redelivered ? this.redeliveries : this.duplicates).incrementAndGet();
		}
	}

	private void disconnect() {
		Connection current = this.connection;
		this.connection = null;
		this.channel = null;
		if (current != null) {
			current.abort(1000);
		}
	}

	/** How many different user names came in {@code created} events. */
	int distinct() {
		return this.names.size();
	}

	boolean saw(String name) {
		return this.names.containsKey(name);
	}

	/** Events for a name seen before, sent again by the service. */
	int duplicates() {
		return this.duplicates.get();
	}

	/** Events the broker delivered to this counter again after its connection was lost. */
	int redeliveries() {
		return this.redeliveries.get();
	}

	/** Events without a user name (none are expected). */
	int unreadable() {
		return this.unreadable.get();
	}

	@Override
	public void close() {
		this.closed = true;
		this.supervisor.interrupt();
		disconnect();
	}

}
