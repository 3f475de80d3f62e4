package io.farine.rpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.rabbitmq.client.ShutdownSignalException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.farine.amqp.Broker;
import io.farine.amqp.DroppedMessages;
import io.farine.amqp.Wire;
import io.farine.amqp.CorrelatedProperties;
import io.farine.service.JsonCodec;
import io.farine.service.RpcEndpoint;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.core.NestedExceptionUtils;

/**
 * The reply queue of this process on one broker (docs/wire-protocol.md): a random hex name, declared
 * once, exclusive, bound to the exchange of each service called with its own name as key, and
 * consumed without pause by one consumer, so frames of a call arrive in order. Calls are matched
 * by correlation id, so any number can be in flight from any threads. Declared again, with its
 * bindings, when the connection comes back; calls in flight when the connection is lost fail at
 * once, as their replies can no longer arrive.
 */
final class ReplyQueue implements MessageListener, ConnectionListener {

	/** The settings of the first service called on this broker: how the broker reads expirations. */
	private final io.farine.config.ServiceSettings settings;

	private static final Log logger = LogFactory.getLog(ReplyQueue.class);

	private final Broker broker;

	private final JsonCodec codec;

	private final String name = Wire.newId();

	/** How many reply frames the broker sends ahead of their acknowledgements. */
	static final int PREFETCH = 250;

	/** How many reply frames one acknowledgement covers at most. */
	static final int MESSAGES_PER_ACK = 50;

	private static final Map<String, Object> COMPACT_REPLY = Map.of(RpcFrames.REPLY_HEADER, RpcFrames.COMPACT);

	private static final Map<String, Object> BATCHED_REPLY = Map.of(RpcFrames.REPLY_HEADER, RpcFrames.BATCH);

	private final Map<String, PendingCall> calls = new ConcurrentHashMap<>();

	private final Set<String> boundExchanges = ConcurrentHashMap.newKeySet();

	private final java.util.function.Consumer<ReturnedMessage> returnHandler = this::returned;

	private volatile @Nullable DirectMessageListenerContainer container;

	/** Set by {@link #close()}: no reply is read and no timeout swept any more. */
	private volatile boolean closed;

	/** Set while this thread hands a reply frame to its call: it must not block for another reply. */
	private static final ThreadLocal<Boolean> dispatching = new ThreadLocal<>();

	/** Runs the listeners of calls failed by the timer, a broker return or a lost connection: never those threads. */
	private final java.util.concurrent.Executor callbacks;

	private final DroppedMessages dropped;

	/** The largest reply frame taken: {@code max_message_size}. */
	private final long maxBytes;

	ReplyQueue(Broker broker, io.farine.config.ServiceSettings settings, JsonCodec codec,
			java.util.concurrent.Executor callbacks, DroppedMessages dropped) {
		this.dropped = dropped;
		this.maxBytes = settings.maxMessageSize().toBytes();
		this.settings = settings;
		this.broker = broker;
		this.codec = codec;
		this.callbacks = callbacks;
	}

	/**
	 * Whether the current thread is the one reading replies: a blocking call made there (from a
	 * future's callback, say) would wait for a reply only that thread can read.
	 * @return true on a reply-reading thread
	 */
	static boolean isReplyThread() {
		return dispatching.get() != null;
	}

	Runnable send(RpcTransport.Call call, boolean retryConnect, RpcTransport.ReplyListener listener,
			Map<String, Object> headers) {
		byte[] body;
		try {
			body = RpcFrames.request(this.codec.mapper(), call.args(), call.kwargs());
			start();
			bind(call);
		}
		catch (RpcException ex) {
			listener.error(ex);
			return () -> {
			};
		}
		catch (RuntimeException ex) {
			listener.error(new RpcException(call.service(), call.method(),
					"Could not call " + call + ": " + ex.getMessage(), ex));
			return () -> {
			};
		}
		StreamConsumer own;
		try {
			own = listener.streamed()
					? StreamConsumer.open(this.broker.connectionFactory(), call.service(), StreamedItems.CAPACITY, this)
					: null;
		}
		catch (RuntimeException ex) {
			listener.error(new RpcException(call.service(), call.method(),
					"Could not set up the reply consumer of " + call + ": " + ex.getMessage(), ex));
			return () -> {
			};
		}
		String correlationId = Wire.newId();
		PendingCall pending = new PendingCall(correlationId, call, listener, own, this.calls, this.callbacks);
		this.calls.put(correlationId, pending);
		// after the put: a close that began meanwhile either fails this call itself or is seen here, so a
		// call racing the shutdown never waits for a reply no one reads and a timeout no one sweeps
		if (this.closed) {
			pending.fail(closing(call));
			return pending::cancel;
		}
		// a plain call asks a farine server for its result and end in one frame: two messages per call, not three
		// and a stream asks for its items in batches of what is ready
		CorrelatedProperties properties = (own != null)
				? CorrelatedProperties.request(correlationId, own.queue(), this.settings.expiration(call.timeout()),
						with(BATCHED_REPLY, headers))
				: CorrelatedProperties.request(correlationId, this.name, this.settings.expiration(call.timeout()),
						with(COMPACT_REPLY, headers));
		String key = call.service() + RpcEndpoint.SEPARATOR + call.method();
		try {
			this.broker.send(call.service(), key, true, properties, body, retryConnect);
		}
		catch (RuntimeException ex) {
			pending.fail(new RpcException(call.service(), call.method(),
					"Could not send the request of " + call + ": " + ex.getMessage(), ex));
		}
		return pending::cancel;
	}

	private static Map<String, Object> with(Map<String, Object> reply, Map<String, Object> headers) {
		if (headers.isEmpty()) {
			return reply;
		}
		Map<String, Object> all = new java.util.HashMap<>(headers);
		all.putAll(reply);
		return all;
	}

	private void start() {
		if (this.container != null) {
			return;
		}
		synchronized (this) {
			if (this.container == null) {
				this.broker.admin().declareQueue(new Queue(this.name, false, true, true));
				this.broker.connectionFactory().addConnectionListener(this);
				this.broker.onReturn(this.returnHandler);
				// acknowledged once handed to their calls, with a prefetch: a flood of replies waits on the broker
				this.container = this.broker.listen(this.name, PREFETCH, MESSAGES_PER_ACK, this,
						"farine-rpc-replies-" + this.name);
			}
		}
	}

	private void bind(RpcTransport.Call call) {
		String exchange = call.service();
		if (this.boundExchanges.contains(exchange)) {
			return;
		}
		try {
			// a passive check first: the broker's 404 for a missing exchange is then an expected answer,
			// logged at debug, not a channel error logged at error
			this.broker.admin().getRabbitTemplate().execute((channel) -> channel.exchangeDeclarePassive(exchange));
			this.broker.admin()
				.declareBinding(new Binding(this.name, Binding.DestinationType.QUEUE, exchange, this.name, null));
			this.boundExchanges.add(exchange);
		}
		catch (AmqpException ex) {
			throw new RpcUnroutableException(call.service(), call.method(), "No service '" + call.service()
					+ "' to call " + call + ": cannot bind the reply queue to exchange '" + exchange + "' ("
					+ NestedExceptionUtils.getMostSpecificCause(ex).getMessage() + ")", ex);
		}
	}

	/** The broker could not route a request: no queue is bound for its method. */
	private void returned(ReturnedMessage returned) {
		org.springframework.amqp.core.MessageProperties properties = returned.getMessage().getMessageProperties();
		if (properties.getReplyTo() == null || properties.getCorrelationId() == null) {
			return;
		}
		PendingCall pending = this.calls.get(properties.getCorrelationId());
		if (pending != null) {
			pending.failElsewhere(new RpcUnroutableException(pending.call.service(), pending.call.method(), "No server for "
					+ pending.call + ": no queue is bound to exchange '" + returned.getExchange() + "' with key '"
					+ returned.getRoutingKey() + "' (" + returned.getReplyCode() + " " + returned.getReplyText() + ")",
					null));
		}
	}

	@Override
	public void onMessage(Message message) {
		Object type = message.getMessageProperties().getHeaders().get(RpcFrames.EXCEPTION_TYPE_HEADER);
		deliver(message.getMessageProperties().getCorrelationId(), message.getBody(), type);
	}

	/**
	 * Hands a reply frame to its call, from the shared reply queue or a stream's own.
	 * @param correlationId the frame's correlation id
	 * @param body the frame
	 * @param type the exception type header of an error frame, if any
	 */
	void deliver(@Nullable String correlationId, byte[] body, @Nullable Object type) {
		PendingCall pending = (correlationId != null) ? this.calls.get(correlationId) : null;
		if (body.length > this.maxBytes) {
			this.dropped.drop(DroppedMessages.Reason.REPLY_TOO_LARGE);
			String what = "A reply frame of " + body.length + " bytes" + ((pending != null) ? " to " + pending.call : "")
					+ " is larger than max_message_size (" + this.maxBytes + " bytes)";
			logger.warn(what + "; dropped it (correlation id " + correlationId + ")");
			if (pending != null) {
				pending.failElsewhere(new RpcException(pending.call.service(), pending.call.method(), what, null));
			}
			return;
		}
		if (pending == null) {
			this.dropped.drop(DroppedMessages.Reason.REPLY_UNKNOWN_CALL);
			logger.debug("Dropping a reply frame for no call in flight (correlation id " + correlationId
					+ "): its call ended, timed out or was cancelled");
			return;
		}
		ReplyFrame frame = ReplyFrame.read(body, pending.itemType(), this.codec, pending.call);
		dispatching.set(Boolean.TRUE);
		try {
			pending.frame(frame, (type != null) ? type.toString() : null);
		}
		finally {
			dispatching.remove();
		}
	}

	@Override
	public void onCreate(Connection connection) {
	}

	@Override
	public void onShutDown(ShutdownSignalException signal) {
		if (signal.isInitiatedByApplication() || this.calls.isEmpty()) {
			return;
		}
		List<PendingCall> lost = new ArrayList<>(this.calls.values());
		for (PendingCall pending : lost) {
			pending.failElsewhere(new RpcException(pending.call.service(), pending.call.method(), "The connection to the broker "
					+ "was lost while waiting for the reply of " + pending.call + "; the call may or may not have run: "
					+ signal.getMessage(), signal));
		}
	}

	int inFlight() {
		return this.calls.size();
	}

	/** Times out the calls that waited too long for their next frame; run by the transport's timer. */
	void sweep() {
		if (this.calls.isEmpty()) {
			return;
		}
		long now = System.nanoTime();
		for (PendingCall pending : this.calls.values()) {
			pending.timeOutIfIdle(now);
		}
	}

	void close() {
		this.closed = true;
		DirectMessageListenerContainer current = this.container;
		if (current != null) {
			current.stop();
			current.destroy();
		}
		this.broker.connectionFactory().removeConnectionListener(this);
		this.broker.removeReturnHandler(this.returnHandler);
		for (PendingCall pending : new ArrayList<>(this.calls.values())) {
			pending.failElsewhere(closing(pending.call));
		}
	}

	private static RpcException closing(RpcTransport.Call call) {
		return new RpcException(call.service(), call.method(),
				"The application is shutting down; no reply of " + call + " will be read", null);
	}

	@Override
	public String toString() {
		return "ReplyQueue[" + this.name + "]";
	}

}
