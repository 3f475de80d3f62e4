package io.farine.rpc;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.BaseStream;

import com.rabbitmq.client.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.farine.amqp.Broker;
import io.farine.amqp.CorrelatedProperties;
import io.farine.config.ServiceSettings;
import io.farine.service.HandlerException;
import io.farine.service.HandlerInvoker;
import io.farine.service.JsonCodec;
import io.farine.service.RpcEndpoint;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;

/**
 * Serves one {@code @RpcMethod}: acknowledges each request as it takes it (so the method never
 * runs twice for one call, as in the original), binds the arguments, calls the method through the
 * {@link HandlerInvoker}, and publishes the reply frames to the service's exchange with the
 * request's {@code reply_to} as routing key and its {@code correlation_id}. Every failure,
 * including a malformed request, becomes an error frame; nothing escapes to the container.
 */
final class RequestListener implements ChannelAwareMessageListener {

	private static final Log logger = LogFactory.getLog(RequestListener.class);

	private final RpcEndpoint endpoint;

	private final String qualifiedName;

	private final Broker broker;

	private final HandlerInvoker invoker;

	private final JsonCodec codec;

	private final ArgumentBinder binder;

	private final boolean stackTrace;

	private final boolean retryConnect;

	/** Whether this broker's {@code expiration} is a point in time (Qpid Broker-J), not a TTL. */
	private final boolean absoluteExpiration;

	private final @Nullable ReactiveAdapter adapter;

	/** What a call returns when its items were sent already. */
	private static final Object STREAMED = new Object();

	/** Streams being sent, by correlation id, each flagged once its caller went away. */
	private final Map<String, AtomicBoolean> streams;

	/** Sends the batches of streams to farine callers. */
	private final java.util.concurrent.Executor batchSender;

	RequestListener(RpcEndpoint endpoint, Broker broker, HandlerInvoker invoker, JsonCodec codec,
			ServiceSettings settings, Map<String, AtomicBoolean> streams, java.util.concurrent.Executor batchSender) {
		this.batchSender = batchSender;
		this.endpoint = endpoint;
		this.streams = streams;
		this.qualifiedName = endpoint.service() + "." + endpoint.name();
		this.broker = broker;
		this.invoker = invoker;
		this.codec = codec;
		this.binder = new ArgumentBinder(endpoint.handler(), this.qualifiedName, codec);
		this.stackTrace = settings.rpcStackTrace();
		this.absoluteExpiration = "absolute".equals(settings.amqpExpiration());
		this.retryConnect = settings.retry();
		Class<?> returned = endpoint.handler().method().getReturnType();
		this.adapter = ReactiveAdapterRegistry.getSharedInstance().getAdapter(returned);
		if (endpoint.streaming() && returned != Object.class && !Iterable.class.isAssignableFrom(returned)
				&& !Iterator.class.isAssignableFrom(returned) && !BaseStream.class.isAssignableFrom(returned)
				&& (this.adapter == null || !this.adapter.isMultiValue())) {
			throw new IllegalStateException("@RpcMethod(streaming = true) " + endpoint.handler() + " returns "
					+ returned.getName() + "; a streaming method returns an Iterable, Stream, Iterator or Flux.");
		}
	}

	@Override
	public void onMessage(Message message, Channel channel) throws Exception {
		MessageProperties properties = message.getMessageProperties();
		channel.basicAck(properties.getDeliveryTag(), false);
		Replies replies = new Replies(properties.getReplyTo(), properties.getCorrelationId(),
				patience(properties.getExpiration()), String.valueOf(properties.getHeaders().get(RpcFrames.REPLY_HEADER)));
		try {
			Object result = this.invoker.invoke(this.endpoint.handler(), this.binder, message.getBody(),
					(returned) -> streamed(returned, replies));
			if (result == STREAMED) {
				replies.end();
			}
			else {
				replies.result(result);
			}
		}
		catch (HandlerException ex) {
			Throwable error = ex.getCause();
			if (ex.badInput()) {
				logger.warn("Bad request for " + this.qualifiedName + ": " + error.getMessage());
			}
			else {
				logger.warn(this.qualifiedName + " (" + this.endpoint.handler() + ") failed: " + error);
				logger.debug(this.qualifiedName + " failed", error);
			}
			replies.error(error);
			if (error instanceof VirtualMachineError fatal) {
				throw fatal;
			}
		}
	}

	/**
	 * How long the caller waits for each reply frame: its request's expiration (its timeout), read
	 * as the broker reads it; 0 when the request has none (a Python caller's): no bound.
	 */
	private long patience(@Nullable String expiration) {
		if (expiration == null || expiration.isBlank()) {
			return 0;
		}
		try {
			long value = Long.parseLong(expiration.strip());
			return Math.max(1, this.absoluteExpiration ? value - System.currentTimeMillis() : value);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	/**
	 * Sends the items of a streamed result, inside the handler's transaction (so a repository's
	 * {@code Stream} can be read), and returns {@link #STREAMED}; any other result is returned
	 * to be sent after the commit, a {@code Mono}'s or future's once it has a value.
	 */
	private @Nullable Object streamed(@Nullable Object result, Replies replies) throws Exception {
		if (result instanceof BaseStream<?, ?> stream) {
			try (stream) {
				replies.items(stream.iterator());
			}
			return STREAMED;
		}
		if (result instanceof Iterator<?> iterator) {
			replies.items(iterator);
			return STREAMED;
		}
		if (this.endpoint.streaming() && result instanceof Iterable<?> iterable) {
			replies.items(iterable.iterator());
			return STREAMED;
		}
		if (result != null && this.adapter != null && this.adapter.getReactiveType().isInstance(result)) {
			if (this.adapter.isMultiValue()) {
				replies.items(Flux.from(this.adapter.toPublisher(result))
					.timeout(replies.remaining(), Flux.empty())
					.toIterable()
					.iterator());
				return STREAMED;
			}
			return Mono.from(this.adapter.toPublisher(result)).block(replies.remaining());
		}
		return result;
	}

	/** The replies of one request. */
	private final class Replies {

		private final @Nullable String replyTo;

		private final @Nullable String correlationId;

		/** How long the caller waits for each frame, in ms; 0 for no bound. */
		private final long patience;

		/** When the caller gives up unless a frame reaches it first; moves on with each item sent. */
		private long deadline;

		private @Nullable CorrelatedProperties properties;

		/** Set once the caller's deadline passed mid-stream: nothing more is sent. */
		private boolean abandoned;

		/** Whether the caller asked for a plain result and the end in one frame (a farine caller). */
		private final boolean compact;

		/** Set when a farine caller's stream is sent in batches. */
		private final @Nullable BatchedFrames batches;

		Replies(@Nullable String replyTo, @Nullable String correlationId, long patience, String form) {
			this.compact = RpcFrames.COMPACT.equals(form);
			this.batches = (RpcFrames.BATCH.equals(form) && replyTo != null)
					? new BatchedFrames((frame) -> publish(frame, null), RequestListener.this.batchSender) : null;
			this.replyTo = replyTo;
			this.correlationId = correlationId;
			this.patience = patience;
			this.deadline = (patience > 0) ? System.currentTimeMillis() + patience : Long.MAX_VALUE;
		}

		/** How long the caller still waits for the next frame; a week when it set no bound. */
		java.time.Duration remaining() {
			return (this.deadline == Long.MAX_VALUE) ? java.time.Duration.ofDays(7)
					: java.time.Duration.ofMillis(Math.max(1, this.deadline - System.currentTimeMillis()));
		}

		/**
		 * The properties of every frame of this reply, made once: JSON, transient, the request's
		 * correlation id. No message id: nothing matches replies by it.
		 */
		private CorrelatedProperties properties() {
			CorrelatedProperties current = this.properties;
			if (current == null) {
				current = CorrelatedProperties.reply(this.correlationId);
				this.properties = current;
			}
			return current;
		}

		/**
		 * Sends items until there are no more, one took longer to make than the caller waits for
		 * each, or the caller went away (closed its stream, or ended): nothing more is made or sent
		 * then.
		 */
		void items(Iterator<?> items) throws InterruptedException {
			AtomicBoolean gone = new AtomicBoolean();
			if (this.correlationId != null) {
				RequestListener.this.streams.put(this.correlationId, gone);
			}
			try {
				long sent = 0;
				while (items.hasNext()) {
					Object next = items.next();
					long now = System.currentTimeMillis();
					if (now > this.deadline || gone.get()) {
						this.abandoned = true;
						if (this.batches != null) {
							this.batches.drop();
						}
						logger.info(RequestListener.this.qualifiedName + ": the caller " + (gone.get()
								? "went away (its reply queue is gone)" : "stopped waiting (its timeout passed)")
								+ " after " + sent + " item(s); the stream stops");
						return;
					}
					if (this.batches != null) {
						this.batches.add(mapper().writeValueAsBytes(next));
					}
					else {
						item(next);
					}
					sent++;
					if (this.patience > 0) {
						this.deadline = now + this.patience;
					}
				}
			}
			finally {
				if (this.correlationId != null) {
					RequestListener.this.streams.remove(this.correlationId);
				}
			}
		}

		void item(@Nullable Object item) {
			if (this.replyTo != null) {
				publish(RpcFrames.item(mapper(), item), null);
			}
		}

		/** A plain result: one compact frame for a farine caller, an item and the end for any other. */
		void result(@Nullable Object result) {
			if (this.compact) {
				if (this.replyTo != null) {
					publish(RpcFrames.lastItem(mapper(), result), null);
				}
			}
			else {
				item(result);
				end();
			}
		}

		void end() {
			if (this.replyTo != null && !this.abandoned) {
				last(() -> publish(RpcFrames.end(), null));
			}
		}

		void error(Throwable error) {
			if (this.replyTo != null) {
				last(() -> publish(RpcFrames.error(mapper(), RpcFrames.errorText(error, RequestListener.this.stackTrace)),
						error.getClass().getName()));
			}
		}

		/** Sends the last frame, after every batched item when the items are batched. */
		private void last(Runnable send) {
			if (this.batches == null) {
				send.run();
				return;
			}
			try {
				this.batches.finish(send);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		private tools.jackson.databind.ObjectMapper mapper() {
			return RequestListener.this.codec.mapper();
		}

		private void publish(byte[] body, @Nullable String exceptionType) {
			CorrelatedProperties properties = (exceptionType != null)
					? properties().withHeader(RpcFrames.EXCEPTION_TYPE_HEADER, exceptionType) : properties();
			try {
				// mandatory: the broker returns a frame whose caller's queue is gone, which stops a stream
				RequestListener.this.broker.send(RequestListener.this.endpoint.service(), this.replyTo, true,
						properties, body, RequestListener.this.retryConnect);
			}
			catch (RuntimeException ex) {
				logger.warn("Could not send a reply frame of " + RequestListener.this.qualifiedName + " to '"
						+ this.replyTo + "': " + ex.getMessage());
			}
		}

	}

}
