package io.farine.amqp;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

import com.rabbitmq.client.AMQP;
import io.farine.config.AmqpAddress;
import io.farine.config.ServiceSettings;
import com.rabbitmq.client.Channel;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionBlockedEvent;
import org.springframework.amqp.rabbit.connection.ConnectionUnblockedEvent;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareBatchMessageListener;
import org.springframework.context.ApplicationEventPublisher;

/**
 * One RabbitMQ broker ({@code amqp_uri}): its connections (TLS as configured), the admin that
 * declares topology (and declares it again on every new connection), listener containers, and its
 * two publish paths: {@link ConfirmedPublishing} for every farine message ({@link Publisher}s,
 * dead-lettering), {@link UnconfirmedSending} for RPC.
 * <p>
 * Publishing and consuming use separate connections, as RabbitMQ recommends: a memory or disk
 * alarm blocks the connections that publish, and the consumers' acks and deliveries must go on.
 * RPC servers, which reply on their requests' channels, have a connection of their own.
 * Nothing but standard AMQP properties goes on the wire.
 * <p>
 * Not part of farine's API: public because the RPC and cluster runtimes publish and consume through
 * it, and the {@code farine} endpoint describes it.
 */
public final class Broker implements AutoCloseable {

	/** The nodes of {@code amqp_uri}, for messages: passwords masked. */
	private final String description;

	/** How an {@code amqps://} broker is trusted, or {@code null} for a plain connection. */
	private final @Nullable String tls;

	private final CachingConnectionFactory connectionFactory;

	/**
	 * The connection of RPC servers, which reply on the channel each request came on: a memory or
	 * disk alarm that blocks it for those replies stops RPC serving only, never other consumers'
	 * acknowledgements. Opened when the first server starts.
	 */
	private final CachingConnectionFactory servingFactory;

	private final RabbitAdmin admin;

	private final PublishingChannels channels;

	private final ExecutorService executor;

	private final ConfirmedPublishing publishing;

	private final UnconfirmedSending sending;

	/** Why the broker blocks this application's connections (a memory or disk alarm); null when it does not. */
	private volatile @Nullable String blocked;

	Broker(String amqpUri, ExecutorService executor, String connectionName) {
		this(amqpUri, executor, connectionName, BrokerTls.systemDefault(), 10_000);
	}

	Broker(String amqpUri, ExecutorService executor, String connectionName, BrokerTls tls, int publishQueueLimit) {
		this.executor = executor;
		List<AmqpAddress> nodes = AmqpAddress.parseAll(amqpUri);
		this.connectionFactory = BrokerConnectionFactory.create(nodes, executor, connectionName, tls);
		this.description = AmqpAddress.describe(nodes);
		this.tls = nodes.get(0).tls() ? tls.description() : null;
		// the factories announce blocked and unblocked connections as events; only those are kept
		ApplicationEventPublisher alarms = this::connectionEvent;
		this.connectionFactory.setApplicationEventPublisher(alarms);
		if (this.connectionFactory.getPublisherConnectionFactory() instanceof AbstractConnectionFactory publishing) {
			publishing.setApplicationEventPublisher(alarms);
		}
		this.servingFactory = BrokerConnectionFactory.create(nodes, executor, connectionName, tls);
		this.servingFactory.setApplicationEventPublisher(alarms);
		this.admin = new RabbitAdmin(this.connectionFactory);
		this.admin.setRedeclareManualDeclarations(true);
		this.admin.afterPropertiesSet();
		this.channels = new PublishingChannels(this.connectionFactory, this.description);
		this.publishing = new ConfirmedPublishing(this.channels, executor, this.description,
				() -> this.blocked != null, publishQueueLimit);
		this.sending = new UnconfirmedSending(this.channels, this.description);
	}

	private void connectionEvent(Object event) {
		if (event instanceof ConnectionBlockedEvent alarm) {
			this.blocked = alarm.getReason();
		}
		else if (event instanceof ConnectionUnblockedEvent) {
			this.blocked = null;
		}
	}

	/**
	 * Why the broker blocks this application's publishing (a memory or disk alarm), for health.
	 * @return the broker's reason, or {@code null} when it does not block
	 */
	public @Nullable String blocked() {
		return this.blocked;
	}

	/**
	 * Whether this broker is RabbitMQ, which takes queue arguments such as {@code x-max-length};
	 * others (Qpid Broker-J, farine-dev's) close the connection on them. Connects if need be.
	 * @return true for RabbitMQ
	 */
	public boolean takesQueueArguments() {
		try (org.springframework.amqp.rabbit.connection.Connection connection = this.connectionFactory.createConnection()) {
			Object product = connection.getDelegate().getServerProperties().get("product");
			return product != null && "RabbitMQ".equalsIgnoreCase(product.toString());
		}
	}

	/**
	 * The nodes of this broker, passwords masked, for health and log lines.
	 * @return the description
	 */
	public String description() {
		return this.description;
	}

	/**
	 * How an {@code amqps://} broker is trusted, for health and the {@code farine} endpoint:
	 * {@code JVM CAs}, {@code CA <file>} (with {@code , client certificate <file>}),
	 * {@code SSL bundle <name>} or {@code not verified}. Services on one URI with different TLS
	 * settings have a broker each; this tells them apart.
	 * @return how the broker is trusted, or {@code null} for {@code amqp://}
	 */
	public @Nullable String tls() {
		return this.tls;
	}

	/** Opens channels on the publishing connection, retrying while it cannot be opened if asked. */
	@FunctionalInterface
	interface ChannelSource {

		Channel open(boolean retry) throws Exception;

	}

	/**
	 * The Spring connection factory, for listener containers.
	 * @return the connection factory
	 */
	public CachingConnectionFactory connectionFactory() {
		return this.connectionFactory;
	}

	/**
	 * The admin that declares exchanges, queues and bindings, and declares them again whenever
	 * a new connection is opened.
	 * @return the admin
	 */
	public RabbitAdmin admin() {
		return this.admin;
	}

	/**
	 * An exchange as farine declares it for a service's settings (its type, durable, auto-delete):
	 * for a caller that binds a queue of its own to it.
	 * @param name the exchange
	 * @param settings the settings of the service of that name
	 * @return the exchange, not declared
	 */
	public Exchange exchange(String name, ServiceSettings settings) {
		return Topology.exchange(name, settings);
	}

	/**
	 * Declares a service's exchange, a queue and their binding as {@link Topology} does, unless the
	 * service does not declare ({@code auto_declare = false}).
	 * @param exchange the exchange to bind to
	 * @param routingKey the binding key
	 * @param queue the queue, ignored for broadcast (each instance gets its own exclusive queue)
	 * @param settings the service's settings
	 * @return the queue to consume
	 */
	public String declare(String exchange, String routingKey, String queue, ServiceSettings settings) {
		return Topology.declare(this.admin, exchange, routingKey, queue, settings);
	}

	/**
	 * Starts consuming a queue on the shared consuming connection (see {@link ListenerContainers}).
	 * @param queue the queue
	 * @param acknowledgeMode {@code MANUAL} when the listener settles messages, {@code NONE} for auto-ack
	 * @param prefetch the prefetch count of each consumer
	 * @param consumers how many consumers (threads) take messages in parallel
	 * @param listener the listener, a {@code MessageListener} or {@code ChannelAwareMessageListener}
	 * @param name the container's name, for logs
	 * @return the started container; stop and destroy it to stop consuming
	 */
	public DirectMessageListenerContainer listen(String queue, AcknowledgeMode acknowledgeMode, int prefetch,
			int consumers, MessageListener listener, String name) {
		return ListenerContainers.start(this.connectionFactory, this.admin, queue, acknowledgeMode, prefetch, consumers,
				listener, name);
	}

	/**
	 * Starts consuming a queue on the shared consuming connection, handing the listener batches of
	 * messages it settles itself (see {@link ListenerContainers#startBatching}).
	 * @param queue the queue
	 * @param prefetch the prefetch count of each consumer; raised to the batch size if lower
	 * @param consumers how many consumers (threads) take batches in parallel
	 * @param batchSize the most messages in a batch
	 * @param window how long a batch waits for each next message
	 * @param listener the listener
	 * @param name the container's name, for logs and its threads
	 * @return the started container; stop and destroy it to stop consuming
	 */
	SimpleMessageListenerContainer listenInBatches(String queue, int prefetch, int consumers, int batchSize,
			Duration window, ChannelAwareBatchMessageListener listener, String name) {
		return ListenerContainers.startBatching(this.connectionFactory, this.admin, queue, prefetch, consumers,
				batchSize, window, listener, name);
	}

	/**
	 * Starts consuming a queue as {@link #listen} does, acknowledging automatically once the listener
	 * returned, one acknowledgement for up to {@code messagesPerAck} messages: for queues whose
	 * every message is small and quickly handled (RPC replies), where an ack each would cost the
	 * broker as much as the messages.
	 * @param queue the queue
	 * @param prefetch the prefetch count; more than {@code messagesPerAck}
	 * @param messagesPerAck how many messages one acknowledgement covers at most
	 * @param listener the listener
	 * @param name the container's name, for logs
	 * @return the started container; stop and destroy it to stop consuming
	 */
	public DirectMessageListenerContainer listen(String queue, int prefetch, int messagesPerAck,
			MessageListener listener, String name) {
		return ListenerContainers.start(this.connectionFactory, this.admin, queue, AcknowledgeMode.AUTO, prefetch, 1,
				messagesPerAck, listener, name);
	}

	/**
	 * Starts consuming a queue of RPC requests, settled by the listener, on the connection of RPC
	 * servers, as {@link #listen} does on the shared one. A server replies on the channel its
	 * request came on ({@link #send(Channel, String, String, CorrelatedProperties, byte[])}).
	 * @param queue the queue
	 * @param prefetch the prefetch count of each consumer
	 * @param consumers how many consumers (threads) take requests in parallel
	 * @param listener the listener
	 * @param name the container's name, for logs
	 * @return the started container; stop and destroy it to stop consuming
	 */
	public DirectMessageListenerContainer serve(String queue, int prefetch, int consumers, MessageListener listener,
			String name) {
		return ListenerContainers.start(this.servingFactory, this.admin, queue, AcknowledgeMode.MANUAL, prefetch,
				consumers, listener, name);
	}

	/**
	 * Publishes a message and returns a future completed when the broker confirms it.
	 * @param exchange the exchange
	 * @param routingKey the routing key
	 * @param mandatory whether a message no queue receives fails with {@link UnroutableMessageException}
	 * @param properties the AMQP properties; must carry a {@code message_id} when mandatory
	 * @param body the body
	 * @param retryConnect whether to retry while the connection cannot be opened
	 * @return the confirm future, failed with a {@link PublishException} if the broker did not take the message
	 */
	CompletableFuture<Void> publish(String exchange, String routingKey, boolean mandatory,
			AMQP.BasicProperties properties, byte[] body, boolean retryConnect) {
		return this.publishing.publish(exchange, routingKey, mandatory, properties, body, retryConnect);
	}

	/**
	 * Publishes a message of a call that no reply answers (a one-way RPC request), mandatory and
	 * confirmed: the confirm is all its sender learns.
	 * @param exchange the exchange
	 * @param routingKey the routing key
	 * @param properties the request's properties
	 * @param body the body
	 * @param retryConnect whether to retry while the connection cannot be opened
	 * @return the confirm future, failed with an {@link UnroutableMessageException} when no queue
	 * receives it, or another {@link PublishException} if the broker did not take it
	 */
	public CompletableFuture<Void> publish(String exchange, String routingKey, CorrelatedProperties properties,
			byte[] body, boolean retryConnect) {
		return publish(exchange, routingKey, true, properties.amqp(), body, retryConnect);
	}

	/**
	 * Publishes a message, mandatory and confirmed, with what is left of its TTL.
	 * @param message the message
	 * @param settings the settings of the message's service: how the broker reads expirations,
	 * whether to retry while the connection cannot be opened
	 * @return the confirm future, failed with a {@link PublishException} if the broker did not take it
	 */
	public CompletableFuture<Void> publish(OutboundMessage message, ServiceSettings settings) {
		return publish(message, settings, message.ttl());
	}

	/**
	 * Publishes a message, mandatory and confirmed, with a given TTL.
	 * @param message the message
	 * @param settings the settings of the message's service
	 * @param ttl how long the message may wait in a queue, or {@code null} for ever
	 * @return the confirm future, failed with a {@link PublishException} if the broker did not take it
	 */
	public CompletableFuture<Void> publish(OutboundMessage message, ServiceSettings settings, @Nullable Duration ttl) {
		return publish(message.exchange(), message.routingKey(), message.mandatory(),
				message.properties(settings, ttl), message.body(), settings.retry());
	}

	/**
	 * Publishes a message, mandatory, and waits for its confirm for the service's
	 * {@code publish_timeout}, for a sender that must not go on before the broker took it.
	 * @param message the message
	 * @param settings the settings of the message's service
	 * @param what the destination, for messages
	 * @throws PublishException if the broker did not take it in time ({@link UnroutableMessageException}
	 * if no queue received it)
	 */
	public void publishAndWait(OutboundMessage message, ServiceSettings settings, String what) {
		PublisherConfirms.await(publish(message, settings), settings.publishTimeout(), what);
	}

	/**
	 * Publishes messages of one service, mandatory and confirmed, each with what is left of its TTL,
	 * in order on one channel: once that channel is gone the rest fail instead of going ahead of
	 * what was lost, so a sender that sends them all again keeps their order.
	 * @param messages the messages
	 * @param settings the settings of their service
	 * @return one confirm future per message, in order
	 */
	public List<CompletableFuture<Void>> publishInOrder(List<OutboundMessage> messages, ServiceSettings settings) {
		return this.publishing.publishInOrder(messages.stream()
			.map((message) -> new ConfirmedPublishing.Outgoing(message.exchange(), message.routingKey(),
					message.properties(settings, message.ttl()),
					message.body(), message.mandatory()))
			.toList(), settings.retry());
	}

	/**
	 * Publishes a message without publisher confirms, for messages whose loss the sender notices
	 * by itself: an RPC request or reply belongs to a call that times out. Confirms would cost the
	 * broker and both ends work on every call and tell the caller nothing it can act on. A
	 * mandatory message the broker cannot route goes to the {@link #onReturn return handlers}.
	 * @param exchange the exchange
	 * @param routingKey the routing key
	 * @param mandatory whether the broker returns a message no queue receives
	 * @param properties the request's or reply's properties
	 * @param body the body
	 * @param retryConnect whether to retry while the connection cannot be opened
	 * @throws PublishException if the message could not be written to the connection
	 */
	public void send(String exchange, String routingKey, boolean mandatory, CorrelatedProperties properties,
			byte[] body, boolean retryConnect) {
		this.sending.send(exchange, routingKey, mandatory, properties.amqp(), body, retryConnect);
	}

	/**
	 * Publishes a message, not mandatory and without confirms, on a channel the caller holds: an
	 * RPC reply on the channel its request came on, right after the request's acknowledgement,
	 * as raw-client servers reply. A call's latency then crosses one connection fewer.
	 * @param channel the channel, used by the calling thread only
	 * @param exchange the exchange
	 * @param routingKey the routing key
	 * @param properties the reply's properties
	 * @param body the body
	 * @throws PublishException if the message could not be written to the channel
	 */
	public void send(Channel channel, String exchange, String routingKey, CorrelatedProperties properties,
			byte[] body) {
		try {
			channel.basicPublish(exchange, routingKey, false, properties.amqp(), body);
		}
		catch (IOException | RuntimeException ex) {
			throw new PublishException("Could not send to exchange '" + exchange + "' with routing key '" + routingKey
					+ "' on " + this.description + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Adds a handler of the mandatory messages {@link #send} could not route. Handlers run on the
	 * connection's thread and must not block.
	 * @param handler the handler
	 */
	public void onReturn(Consumer<ReturnedMessage> handler) {
		this.sending.onReturn(handler);
	}

	/**
	 * Removes a handler added with {@link #onReturn}.
	 * @param handler the handler
	 */
	public void removeReturnHandler(Consumer<ReturnedMessage> handler) {
		this.sending.removeReturnHandler(handler);
	}

	/**
	 * The broker URI without its password, for messages.
	 * @return the URI as text
	 */
	String safeUri() {
		return this.description;
	}

	@Override
	public void close() {
		this.channels.close();
		this.publishing.close();
		this.sending.close();
		this.servingFactory.destroy();
		this.connectionFactory.destroy();
	}

}
