package io.farine.rpc;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.stream.BaseStream;

import com.rabbitmq.client.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.farine.amqp.Broker;
import io.farine.amqp.DebugReports;
import io.farine.config.ServiceSettings;
import io.farine.observation.FarineObservations;
import io.farine.service.ArgumentConversionException;
import io.farine.service.HandlerException;
import io.farine.service.HandlerInvoker;
import io.farine.service.InvocationTimings;
import io.farine.service.JsonCodec;
import io.farine.service.ResultAdapter;
import io.farine.service.RpcEndpoint;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.ChannelProxy;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

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

	private final HandlerInvoker invoker;

	private final ArgumentBinder binder;

	private final Replies.ServedMethod served;

	private final FarineObservations observations;

	/** Whether a request with {@code "__debug__": true} gets its timings published ({@code debug = true}). */
	private final boolean debug;

	private final ServiceSettings settings;

	private final JsonCodec codec;

	/** Whether this broker's {@code expiration} is a point in time (Qpid Broker-J), not a TTL. */
	private final boolean absoluteExpiration;

	private final ResultAdapter results;

	/** Serves a request, made once: the observation runs it for each request. */
	private final BiFunction<Message, Replies, @Nullable Throwable> serving = this::serve;

	/** What a call returns when its items were sent already. */
	private static final Object STREAMED = new Object();

	RequestListener(RpcEndpoint endpoint, Broker broker, HandlerInvoker invoker, JsonCodec codec,
			ServiceSettings settings, Map<String, AtomicBoolean> streams, Executor batchSender,
			FarineObservations observations) {
		this.endpoint = endpoint;
		this.observations = observations;
		this.qualifiedName = endpoint.service() + "." + endpoint.name();
		this.invoker = invoker;
		if (!(endpoint.arguments() instanceof ArgumentBinder argumentBinder)) {
			throw new IllegalStateException(endpoint.handler() + " has the arguments of another kind of endpoint: "
					+ endpoint.arguments().getClass().getName());
		}
		this.binder = argumentBinder;
		this.served = new Replies.ServedMethod(this.qualifiedName, endpoint.service(), broker, codec.mapper(),
				settings.rpcStackTrace(), settings.retry(), streams, batchSender);
		this.absoluteExpiration = "absolute".equals(settings.amqpExpiration());
		this.debug = settings.debug();
		this.settings = settings;
		this.codec = codec;
		Class<?> returned = endpoint.handler().method().getReturnType();
		this.results = endpoint.results();
		if (endpoint.streaming() && returned != Object.class && !Iterable.class.isAssignableFrom(returned)
				&& !Iterator.class.isAssignableFrom(returned) && !BaseStream.class.isAssignableFrom(returned)
				&& !this.results.multiValue()) {
			throw new IllegalStateException("@RpcMethod(streaming = true) " + endpoint.handler() + " returns "
					+ returned.getName() + "; a streaming method returns an Iterable, Stream, Iterator or Flux.");
		}
	}

	@Override
	public void onMessage(Message message, Channel channel) throws Exception {
		MessageProperties properties = message.getMessageProperties();
		// the physical channel the request came on, as a Delivery settles on: the container's proxy calls it
		// by reflection, and would move a late reply to a channel of its own making
		Channel physical = (channel instanceof ChannelProxy proxy) ? proxy.getTargetChannel() : channel;
		physical.basicAck(properties.getDeliveryTag(), false);
		String form = String.valueOf(properties.getHeaders().get(RpcFrames.REPLY_HEADER));
		Replies replies = new Replies(this.served, physical, replyTo(properties.getReplyTo(), form),
				properties.getCorrelationId(), patience(properties.getExpiration()), form);
		this.invoker.observe(this.observations.rpcServer(this.endpoint.service(), this.endpoint.name(),
				properties.getHeaders()), this.serving, message, replies);
	}

	/** Serves a request, then reports its timings if its body asked for them. */
	private @Nullable Throwable serve(Message message, Replies replies) {
		InvocationTimings timings = this.debug ? InvocationTimings.askedFor(message.getBody(), this.codec) : null;
		Throwable failure = serve(message, replies, timings);
		if (timings != null) {
			timings.replied();
			DebugReports.publish(this.served.broker(), this.settings, this.codec, "rpc", this.qualifiedName,
					message.getMessageProperties().getCorrelationId(), failure, timings);
		}
		return failure;
	}

	/** Calls the method and sends its reply, or the error; returns the error, or {@code null}. */
	private @Nullable Throwable serve(Message message, Replies replies, @Nullable InvocationTimings timings) {
		long maxBytes = this.settings.maxMessageSize().toBytes();
		if (message.getBody().length > maxBytes) {
			ArgumentConversionException error = new ArgumentConversionException("The request of "
					+ message.getBody().length + " bytes is larger than max_message_size (" + maxBytes + " bytes)", null);
			logger.warn("Bad request for " + this.qualifiedName + ": " + error.getMessage());
			replies.error(error);
			return error;
		}
		try {
			Object result = this.invoker.invoke(this.endpoint.handler(), this.binder, message.getBody(), () -> true,
					(returned) -> streamed(returned, replies), timings);
			if (result == STREAMED) {
				replies.end();
			}
			else {
				replies.result(result);
			}
			return null;
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
			return error;
		}
	}

	/**
	 * Where the reply goes: nowhere for a one-way request, which has no {@code reply_to} (a
	 * caller that expects nothing) or says {@code x-farine-reply: none} (a farine caller's
	 * {@link OneWay}, whose {@code reply_to} is only there for Python servers). The method runs
	 * all the same.
	 */
	private static @Nullable String replyTo(@Nullable String replyTo, String form) {
		return (replyTo == null || replyTo.isEmpty() || RpcFrames.NONE.equals(form)) ? null : replyTo;
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
		if (this.results.streams(result)) {
			replies.items(this.results.items(result, replies.remaining()));
			return STREAMED;
		}
		return this.results.await(result, replies.remaining());
	}

}
