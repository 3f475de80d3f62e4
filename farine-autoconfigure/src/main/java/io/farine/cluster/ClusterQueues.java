package io.farine.cluster;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.farine.amqp.Broker;
import io.farine.amqp.BrokerConnections;
import io.farine.amqp.DroppedMessages;
import io.farine.amqp.ListenerGroup;
import io.farine.config.FarineProperties;
import io.farine.config.ServiceSettings;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.core.Queue;

/**
 * The broker side of {@link ClusterRuntime}: the broker of {@code [DEFAULT]}'s {@code amqp_uri},
 * connected at the first need with the cluster's exchanges declared, and this process's exclusive
 * queues (events, queries, answers), each read by a container of its own with a prefetch, dropping
 * (and counting) what is larger than {@code max_message_size}, and bounded on RabbitMQ.
 */
final class ClusterQueues {

	private final FarineProperties properties;

	private final BrokerConnections brokers;

	private final String instanceId;

	private final ListenerGroup containers = new ListenerGroup();

	private volatile @Nullable Broker broker;

	/** Set once the answers queue is consumed. */
	private boolean answering;

	ClusterQueues(FarineProperties properties, BrokerConnections brokers, String instanceId) {
		this.properties = properties;
		this.brokers = brokers;
		this.instanceId = instanceId;
	}

	/** Runs from now on: a handler may send while the next queue is being listened to. */
	void start(Runnable listening) {
		this.containers.start(listening);
	}

	boolean isRunning() {
		return this.containers.isRunning();
	}

	/** Reads the fanout exchange on this process's queue. */
	void listen(String exchange, String queue, DroppedMessages.Reason tooLarge, MessageListener listener) {
		Broker current = broker();
		current.admin().declareExchange(new FanoutExchange(exchange, true, false));
		declare(current, queue);
		current.admin().declareBinding(new Binding(queue, Binding.DestinationType.QUEUE, exchange, "", null));
		consume(current, queue, tooLarge, listener, "farine-cluster-" + exchange);
	}

	/** Declares a queue of this process: exclusive, and bounded where the broker takes queue arguments. */
	private void declare(Broker current, String queue) {
		Map<String, Object> arguments = current.takesQueueArguments()
				? Map.of("x-max-length", ClusterRuntime.QUEUE_MAX_LENGTH, "x-max-length-bytes",
						ClusterRuntime.QUEUE_MAX_BYTES)
				: null;
		current.admin().declareQueue(new Queue(queue, false, true, true, arguments));
	}

	/** Consumes with a prefetch, acknowledging each message once handled, dropping those too large. */
	private void consume(Broker current, String queue, DroppedMessages.Reason tooLarge, MessageListener listener,
			String name) {
		ServiceSettings settings = settings();
		this.containers.add(current.listen(queue, AcknowledgeMode.AUTO, Math.max(1, settings.prefetchCount()), 1,
				this.brokers.dropped().limited(tooLarge, settings.maxMessageSize().toBytes(), queue, listener), name));
	}

	/** The broker, connected at the first need; with the exchanges declared. */
	synchronized Broker broker() {
		Broker current = this.broker;
		if (current == null) {
			current = this.brokers.reachable(settings());
			current.admin().declareExchange(new FanoutExchange(ClusterRuntime.EVENTS, true, false));
			current.admin().declareExchange(new FanoutExchange(ClusterRuntime.QUERIES, true, false));
			current.admin().declareExchange(new DirectExchange(ClusterRuntime.ANSWERS, true, false));
			this.broker = current;
		}
		return current;
	}

	/** The queue this process's query answers come to, consumed from the first query on. */
	synchronized void answersListened(MessageListener onAnswer) {
		if (this.answering) {
			return;
		}
		Broker current = broker();
		declare(current, answersQueue());
		current.admin()
			.declareBinding(new Binding(answersQueue(), Binding.DestinationType.QUEUE, ClusterRuntime.ANSWERS,
					answersQueue(), null));
		consume(current, answersQueue(), DroppedMessages.Reason.ANSWER_TOO_LARGE, onAnswer, "farine-cluster-answers");
		this.answering = true;
	}

	/** Stops the containers, then runs the callback; the answers queue is consumed again from the next query on. */
	void stop(Runnable callback) {
		synchronized (this) {
			this.answering = false;
		}
		this.containers.stop(callback);
	}

	void stop() {
		synchronized (this) {
			this.answering = false;
		}
		this.containers.stop();
	}

	String answersQueue() {
		return ClusterRuntime.ANSWERS_QUEUE_PREFIX + this.instanceId;
	}

	ServiceSettings settings() {
		return this.properties.service("");
	}

}
