package io.farine.amqp;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Return;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import javax.net.ssl.SSLContext;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

/**
 * One RabbitMQ broker ({@code amqp_uri}): its connections, the admin that declares topology (and
 * declares it again on every new connection), and the confirmed publish path every farine
 * message takes — {@link Publisher}s, dead-lettering and RPC.
 * <p>
 * Publishing and consuming use separate connections, as RabbitMQ recommends: a memory or disk
 * alarm blocks the connections that publish, and the consumers' acks and deliveries must go on.
 * <p>
 * Publishing uses one confirm-mode channel. Each message carries a {@code message_id}; a
 * mandatory message the broker returns is matched by it, and its confirm then fails with an
 * {@link UnroutableMessageException}. Nothing but standard AMQP properties goes on the wire.
 */
public final class Broker implements AutoCloseable {

	/** The largest body farine reads off the wire: RabbitMQ's default {@code max_message_size}. */
	static final int MAX_INBOUND_BODY = 128 * 1024 * 1024;

	static final int CONNECT_TIMEOUT_MILLIS = 5000;

	/** The content type of every farine message. */
	public static final String CONTENT_TYPE = "application/json";

	/** The content encoding of every farine message. */
	public static final String CONTENT_ENCODING = "utf-8";

	private static final Log logger = LogFactory.getLog(Broker.class);

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private final AmqpAddress address;

	private final CachingConnectionFactory connectionFactory;

	private final RabbitAdmin admin;

	private final RetryTemplate connectRetry;

	private final ExecutorService executor;

	private final ReentrantLock publishLock = new ReentrantLock();

	/** Held while the publish channel is opened; never while publishing. */
	private final ReentrantLock connectLock = new ReentrantLock();

	/** Publishes that wait for a connection, one at a time, in order. */
	private final ExecutorService reconnecting = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "farine-publish-connect");
		thread.setDaemon(true);
		return thread;
	});

	/** How many publishes wait in {@link #reconnecting}: later ones queue behind them, in order. */
	private final java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();

	private @Nullable ConfirmChannel channel;

	private final ReentrantLock sendLock = new ReentrantLock();

	private @Nullable Channel sendChannel;

	private final List<Consumer<Return>> returnHandlers = new CopyOnWriteArrayList<>();

	/** Set first by {@link #close()}: no connection is opened again after it. */
	private volatile boolean closed;

	Broker(URI uri, ExecutorService executor, String connectionName) {
		this(uri, executor, connectionName, BrokerTls.systemDefault());
	}

	Broker(URI uri, ExecutorService executor, String connectionName, BrokerTls tls) {
		this.executor = executor;
		AmqpAddress address = AmqpAddress.of(uri);
		this.connectionFactory = new CachingConnectionFactory(address.host(), address.port());
		this.connectionFactory.setUsername(address.username());
		this.connectionFactory.setPassword(address.password());
		this.connectionFactory.setVirtualHost(address.virtualHost());
		// read anything RabbitMQ accepts (128 MiB by default), so that a body over max_message_size is
		// dead-lettered with the reason instead of failing the connection at every redelivery
		this.connectionFactory.getRabbitConnectionFactory().setMaxInboundMessageBodySize(MAX_INBOUND_BODY);
		if (address.tls()) {
			com.rabbitmq.client.ConnectionFactory rabbit = this.connectionFactory.getRabbitConnectionFactory();
			SSLContext context = tls.context();
			if (tls.verify() && context != null) {
				rabbit.useSslProtocol(context);
				rabbit.enableHostnameVerification();
			}
			else {
				logger.warn("TLS to " + address + " trusts any certificate (amqp_tls_verify = false): anyone on the path "
						+ "can read and forge messages. Set amqp_ca (or amqp_ssl_bundle) and remove amqp_tls_verify.");
				try {
					rabbit.useSslProtocol();
				}
				catch (java.security.GeneralSecurityException ex) {
					throw new IllegalStateException("Cannot set up TLS for " + address, ex);
				}
			}
		}
		this.address = address;
		this.connectionFactory.setExecutor(executor);
		this.connectionFactory.setConnectionNameStrategy((factory) -> connectionName);
		this.connectionFactory.setChannelCacheSize(32);
		// a broker that accepts the TCP connection but does not answer must not hold a publish for a minute
		this.connectionFactory.setConnectionTimeout(CONNECT_TIMEOUT_MILLIS);
		this.admin = new RabbitAdmin(this.connectionFactory);
		this.admin.setRedeclareManualDeclarations(true);
		this.admin.afterPropertiesSet();
		this.connectRetry = new RetryTemplate(RetryPolicy.builder()
			.maxRetries(5)
			.delay(Duration.ofMillis(200))
			.multiplier(2)
			.maxDelay(Duration.ofSeconds(2))
			.includes(AmqpException.class, IOException.class)
			.build());
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
	 * Starts consuming a queue with a listener container that resumes by itself after the
	 * connection is lost (checked every second) and declares the queue again if it vanished.
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
		DirectMessageListenerContainer container = new DirectMessageListenerContainer(this.connectionFactory);
		container.setQueueNames(queue);
		container.setAcknowledgeMode(acknowledgeMode);
		container.setPrefetchCount(prefetch);
		container.setConsumersPerQueue(consumers);
		container.setAmqpAdmin(this.admin);
		container.setMissingQueuesFatal(false);
		container.setMonitorInterval(1000);
		container.setRecoveryInterval(1000);
		// the default 5 s between restart attempts made recovery after a cut wait 5 s or more
		container.setFailedDeclarationRetryInterval(1000);
		container.setMessageListener(listener);
		container.setBeanName(name);
		container.afterPropertiesSet();
		container.start();
		return container;
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
	public CompletableFuture<Void> publish(String exchange, String routingKey, boolean mandatory,
			AMQP.BasicProperties properties, byte[] body, boolean retryConnect) {
		Pending pending = new Pending(exchange, routingKey, properties.getMessageId());
		this.publishLock.lock();
		try {
			ConfirmChannel current = this.channel;
			if (this.waiting.get() == 0 && current != null && current.channel.isOpen()) {
				current.publish(pending, mandatory, properties, body);
				return pending.future;
			}
			// No open channel: connect off the caller's thread, in order behind earlier such messages,
			// so publishAsync never blocks and publish waits at most its publish_timeout.
			this.waiting.incrementAndGet();
			this.reconnecting.execute(() -> publishWhenConnected(pending, mandatory, properties, body, retryConnect));
		}
		catch (Exception ex) {
			fail(pending, ex);
		}
		finally {
			this.publishLock.unlock();
		}
		return pending.future;
	}

	private void publishWhenConnected(Pending pending, boolean mandatory, AMQP.BasicProperties properties,
			byte[] body, boolean retryConnect) {
		try {
			if (pending.future.isDone()) {
				return;
			}
			ConfirmChannel target = retryConnect ? openChannelRetrying() : openChannel();
			this.publishLock.lock();
			try {
				// a caller whose publish_timeout passed has given up: sending now could duplicate it
				if (!pending.future.isDone()) {
					target.publish(pending, mandatory, properties, body);
				}
			}
			finally {
				this.publishLock.unlock();
			}
		}
		catch (Exception ex) {
			fail(pending, ex);
		}
		finally {
			this.waiting.decrementAndGet();
		}
	}

	private void fail(Pending pending, Exception ex) {
		pending.future.completeExceptionally(new PublishException("Could not publish to exchange '" + pending.exchange
				+ "' with routing key '" + pending.routingKey + "' on " + safeUri() + ": " + ex.getMessage(), ex));
	}

	/**
	 * Publishes a message without publisher confirms, for messages whose loss the sender notices
	 * by itself: an RPC request or reply belongs to a call that times out. Confirms would cost the
	 * broker and both ends work on every call and tell the caller nothing it can act on. A
	 * mandatory message the broker cannot route goes to the {@link #onReturn return handlers}.
	 * @param exchange the exchange
	 * @param routingKey the routing key
	 * @param mandatory whether the broker returns a message no queue receives
	 * @param properties the AMQP properties
	 * @param body the body
	 * @param retryConnect whether to retry while the connection cannot be opened
	 * @throws PublishException if the message could not be written to the connection
	 */
	public void send(String exchange, String routingKey, boolean mandatory, AMQP.BasicProperties properties,
			byte[] body, boolean retryConnect) {
		this.sendLock.lock();
		try {
			Channel target = retryConnect ? retrying(this::openSendChannel) : openSendChannel();
			target.basicPublish(exchange, routingKey, mandatory, properties, body);
		}
		catch (Exception ex) {
			throw new PublishException("Could not send to exchange '" + exchange + "' with routing key '" + routingKey
					+ "' on " + safeUri() + ": " + ex.getMessage(), ex);
		}
		finally {
			this.sendLock.unlock();
		}
	}

	/**
	 * Adds a handler of the mandatory messages {@link #send} could not route. Handlers run on the
	 * connection's thread and must not block.
	 * @param handler the handler
	 */
	public void onReturn(Consumer<Return> handler) {
		this.returnHandlers.add(handler);
	}

	/**
	 * Removes a handler added with {@link #onReturn}.
	 * @param handler the handler
	 */
	public void removeReturnHandler(Consumer<Return> handler) {
		this.returnHandlers.remove(handler);
	}

	private Channel openSendChannel() throws IOException {
		checkOpen();
		Channel current = this.sendChannel;
		if (current != null && current.isOpen()) {
			return current;
		}
		current = this.connectionFactory.getPublisherConnectionFactory().createConnection().getDelegate().createChannel();
		if (current == null) {
			throw new IOException("No channel available on the connection to " + safeUri());
		}
		current.addReturnListener((returned) -> this.returnHandlers.forEach((handler) -> handler.accept(returned)));
		this.sendChannel = current;
		return current;
	}

	/**
	 * Properties every farine JSON message starts from: {@code content_type} exactly
	 * {@code application/json} (kombu treats {@code ; charset=...} as text), {@code content_encoding}
	 * {@code utf-8}, and a fresh 32-hex-digit {@code message_id}.
	 * @return a builder to add delivery mode, headers and the like to
	 */
	public static AMQP.BasicProperties.Builder jsonProperties() {
		return new AMQP.BasicProperties.Builder().contentType(CONTENT_TYPE)
			.contentEncoding(CONTENT_ENCODING)
			.messageId(newId());
	}

	/**
	 * A new identifier as kombu makes them: a random (version 4) UUID as 32 lower-case hex
	 * digits. Unique, not secret, so it is drawn from {@code ThreadLocalRandom}: no lock on the
	 * publish path.
	 * @return the identifier
	 */
	public static String newId() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long high = (random.nextLong() & ~0xF000L) | 0x4000L;
		long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		char[] hex = new char[32];
		for (int i = 15; i >= 0; i--) {
			hex[i] = HEX[(int) (high & 0xF)];
			hex[i + 16] = HEX[(int) (low & 0xF)];
			high >>>= 4;
			low >>>= 4;
		}
		return new String(hex);
	}

	/**
	 * Waits for a publish future, turning every failure into a {@link PublishException}.
	 * @param confirm the future from {@link #publish}
	 * @param timeout how long to wait
	 * @param what the destination, for the timeout message
	 */
	public static void await(CompletableFuture<Void> confirm, Duration timeout, String what) {
		try {
			confirm.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof PublishException publish) {
				throw publish;
			}
			throw new PublishException("Publish to " + what + " failed: " + ex.getCause(), ex.getCause());
		}
		catch (TimeoutException ex) {
			PublishException timedOut = new PublishException("No confirm from the broker for a message to " + what
					+ " within " + timeout + "; it may or may not have been delivered", ex);
			// a message still waiting for a connection is then never sent
			confirm.completeExceptionally(timedOut);
			throw timedOut;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new PublishException("Interrupted while waiting for the confirm of a message to " + what, ex);
		}
	}

	/**
	 * The broker URI without its password, for messages.
	 * @return the URI as text
	 */
	String safeUri() {
		return this.address.toString();
	}

	private ConfirmChannel openChannelRetrying() throws Exception {
		return retrying(this::openChannel);
	}

	private <T> T retrying(org.springframework.core.retry.Retryable<T> open) throws Exception {
		try {
			return this.connectRetry.execute(open);
		}
		catch (RetryException ex) {
			throw (ex.getCause() instanceof Exception cause) ? cause : ex;
		}
	}

	private void checkOpen() {
		if (this.closed) {
			// not an IOException: connection retries stop at once
			throw new IllegalStateException("The connection to " + safeUri()
					+ " is closed: the application is shutting down");
		}
	}

	private ConfirmChannel openChannel() throws IOException {
		this.connectLock.lock();
		try {
			return openChannelLocked();
		}
		finally {
			this.connectLock.unlock();
		}
	}

	private ConfirmChannel openChannelLocked() throws IOException {
		checkOpen();
		ConfirmChannel current = this.channel;
		if (current != null && current.channel.isOpen()) {
			return current;
		}
		Channel raw = this.connectionFactory.getPublisherConnectionFactory().createConnection().getDelegate().createChannel();
		if (raw == null) {
			throw new IOException("No channel available on the connection to " + safeUri());
		}
		current = new ConfirmChannel(raw, this.executor);
		this.channel = current;
		return current;
	}

	@Override
	public void close() {
		this.closed = true;
		this.reconnecting.shutdownNow();
		this.publishLock.lock();
		try {
			ConfirmChannel current = this.channel;
			if (current != null && current.channel.isOpen()) {
				try {
					current.channel.close();
				}
				catch (Exception ex) {
					logger.debug("Error closing the publish channel", ex);
				}
			}
			this.channel = null;
		}
		finally {
			this.publishLock.unlock();
		}
		this.sendLock.lock();
		try {
			Channel current = this.sendChannel;
			if (current != null && current.isOpen()) {
				try {
					current.close();
				}
				catch (Exception ex) {
					logger.debug("Error closing the send channel", ex);
				}
			}
			this.sendChannel = null;
		}
		finally {
			this.sendLock.unlock();
		}
		this.connectionFactory.destroy();
	}

	/** A message waiting for its confirm. */
	private static final class Pending {

		final String exchange;

		final String routingKey;

		final @Nullable String messageId;

		final CompletableFuture<Void> future = new CompletableFuture<>();

		volatile @Nullable String returnedBecause;

		Pending(String exchange, String routingKey, @Nullable String messageId) {
			this.exchange = exchange;
			this.routingKey = routingKey;
			this.messageId = messageId;
		}

	}

	/**
	 * A confirm-mode channel and the messages it has not had confirmed yet. Sequence numbers are
	 * per channel, so a new channel starts a new map; when a channel dies its pending messages fail.
	 * Futures are completed on the executor, never on the connection's reader thread, so a caller
	 * that blocks in a dependent stage cannot stop confirms from arriving.
	 */
	private static final class ConfirmChannel implements ConfirmListener {

		final Channel channel;

		private final Executor completions;

		private final ConcurrentNavigableMap<Long, Pending> unconfirmed = new ConcurrentSkipListMap<>();

		private final Map<String, Pending> returnable = new ConcurrentHashMap<>();

		ConfirmChannel(Channel channel, Executor completions) throws IOException {
			this.channel = channel;
			this.completions = completions;
			channel.confirmSelect();
			channel.addConfirmListener(this);
			channel.addReturnListener((returned) -> {
				Pending pending = this.returnable.get(String.valueOf(returned.getProperties().getMessageId()));
				if (pending != null) {
					pending.returnedBecause = returned.getReplyCode() + " " + returned.getReplyText();
				}
			});
			channel.addShutdownListener((cause) -> failAll(cause));
		}

		void publish(Pending pending, boolean mandatory, AMQP.BasicProperties properties, byte[] body)
				throws IOException {
			long sequence = this.channel.getNextPublishSeqNo();
			this.unconfirmed.put(sequence, pending);
			if (mandatory && pending.messageId != null) {
				this.returnable.put(pending.messageId, pending);
			}
			try {
				this.channel.basicPublish(pending.exchange, pending.routingKey, mandatory, properties, body);
			}
			catch (IOException | RuntimeException ex) {
				forget(this.unconfirmed.remove(sequence));
				throw ex;
			}
		}

		@Override
		public void handleAck(long deliveryTag, boolean multiple) {
			settle(deliveryTag, multiple, true);
		}

		@Override
		public void handleNack(long deliveryTag, boolean multiple) {
			settle(deliveryTag, multiple, false);
		}

		private void settle(long deliveryTag, boolean multiple, boolean ack) {
			if (multiple) {
				ConcurrentNavigableMap<Long, Pending> head = this.unconfirmed.headMap(deliveryTag, true);
				List<Pending> settled = new ArrayList<>(head.values());
				head.clear();
				settled.forEach(this::forget);
				this.completions.execute(() -> settled.forEach((pending) -> settle(pending, ack)));
			}
			else {
				Pending pending = this.unconfirmed.remove(deliveryTag);
				if (pending != null) {
					forget(pending);
					this.completions.execute(() -> settle(pending, ack));
				}
			}
		}

		private void settle(Pending pending, boolean ack) {
			String returned = pending.returnedBecause;
			if (!ack) {
				pending.future.completeExceptionally(new PublishException("The broker refused (nack) the message to exchange '"
						+ pending.exchange + "' with routing key '" + pending.routingKey + "'", null));
			}
			else if (returned != null) {
				pending.future.completeExceptionally(
						new UnroutableMessageException(pending.exchange, pending.routingKey, returned));
			}
			else {
				pending.future.complete(null);
			}
		}

		private void forget(@Nullable Pending pending) {
			if (pending != null && pending.messageId != null) {
				this.returnable.remove(pending.messageId);
			}
		}

		private void failAll(Exception cause) {
			List<Pending> lost = new ArrayList<>(this.unconfirmed.values());
			this.unconfirmed.clear();
			this.returnable.clear();
			this.completions.execute(() -> lost.forEach((pending) -> pending.future.completeExceptionally(
					new PublishException("The connection closed before the broker confirmed the message to exchange '"
							+ pending.exchange + "' with routing key '" + pending.routingKey + "': " + cause.getMessage(),
							cause))));
		}

	}

}
