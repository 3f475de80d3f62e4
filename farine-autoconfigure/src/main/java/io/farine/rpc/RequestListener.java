package io.farine.rpc;

import java.util.Iterator;
import java.util.Map;
import java.util.stream.BaseStream;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.farine.amqp.Broker;
import io.farine.config.ServiceSettings;
import io.farine.service.ArgumentConversionException;
import io.farine.service.HandlerInvoker;
import io.farine.service.RpcEndpoint;
import tools.jackson.databind.ObjectMapper;

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

	private final ArgumentBinder binder;

	private final boolean stackTrace;

	private final boolean retryConnect;

	private final @Nullable ReactiveAdapter adapter;

	RequestListener(RpcEndpoint endpoint, Broker broker, HandlerInvoker invoker, ServiceSettings settings) {
		this.endpoint = endpoint;
		this.qualifiedName = endpoint.service() + "." + endpoint.name();
		this.broker = broker;
		this.invoker = invoker;
		this.binder = new ArgumentBinder(endpoint.handler(), this.qualifiedName, invoker);
		this.stackTrace = settings.rpcStackTrace();
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
		Replies replies = new Replies(properties.getReplyTo(), properties.getCorrelationId());
		Object[] args;
		try {
			args = this.binder.bind(this.invoker.parse(message.getBody()));
		}
		catch (ArgumentConversionException ex) {
			logger.warn("Bad request for " + this.qualifiedName + ": " + ex.getMessage());
			replies.error(ex);
			return;
		}
		try {
			reply(this.invoker.invoke(this.endpoint.handler(), args), replies);
		}
		catch (Exception | Error ex) {
			logger.warn(this.qualifiedName + " (" + this.endpoint.handler() + ") failed: " + ex);
			logger.debug(this.qualifiedName + " failed", ex);
			replies.error(ex);
			if (ex instanceof VirtualMachineError fatal) {
				throw fatal;
			}
		}
	}

	private void reply(@Nullable Object result, Replies replies) throws Exception {
		if (result instanceof BaseStream<?, ?> stream) {
			try (stream) {
				replies.items(stream.iterator());
			}
		}
		else if (result instanceof Iterator<?> iterator) {
			replies.items(iterator);
		}
		else if (this.endpoint.streaming() && result instanceof Iterable<?> iterable) {
			replies.items(iterable.iterator());
		}
		else if (result != null && this.adapter != null && this.adapter.getReactiveType().isInstance(result)) {
			if (this.adapter.isMultiValue()) {
				replies.items(Flux.from(this.adapter.toPublisher(result)).toIterable().iterator());
			}
			else {
				replies.item(Mono.from(this.adapter.toPublisher(result)).block());
				replies.end();
			}
		}
		else {
			replies.item(result);
			replies.end();
		}
	}

	/** The replies of one request. */
	private final class Replies {

		private final @Nullable String replyTo;

		private final @Nullable String correlationId;

		private AMQP.@Nullable BasicProperties properties;

		Replies(@Nullable String replyTo, @Nullable String correlationId) {
			this.replyTo = replyTo;
			this.correlationId = correlationId;
		}

		/**
		 * The properties of every frame of this reply, made once: JSON, transient, the request's
		 * correlation id. No message id: nothing matches replies by it.
		 */
		private AMQP.BasicProperties properties() {
			AMQP.BasicProperties current = this.properties;
			if (current == null) {
				current = new AMQP.BasicProperties.Builder().contentType(Broker.CONTENT_TYPE)
					.contentEncoding(Broker.CONTENT_ENCODING)
					.deliveryMode(1)
					.correlationId(this.correlationId)
					.build();
				this.properties = current;
			}
			return current;
		}

		void items(Iterator<?> items) {
			while (items.hasNext()) {
				item(items.next());
			}
			end();
		}

		void item(@Nullable Object item) {
			if (this.replyTo != null) {
				publish(RpcFrames.item(mapper(), item), null);
			}
		}

		void end() {
			if (this.replyTo != null) {
				publish(RpcFrames.end(), null);
			}
		}

		void error(Throwable error) {
			if (this.replyTo != null) {
				publish(RpcFrames.error(mapper(), RpcFrames.errorText(error, RequestListener.this.stackTrace)),
						error.getClass().getName());
			}
		}

		private ObjectMapper mapper() {
			return RequestListener.this.invoker.mapper();
		}

		private void publish(byte[] body, @Nullable String exceptionType) {
			AMQP.BasicProperties properties;
			if (exceptionType != null) {
				properties = properties().builder()
					.headers(Map.of(RpcFrames.EXCEPTION_TYPE_HEADER, exceptionType))
					.build();
			}
			else {
				properties = properties();
			}
			try {
				RequestListener.this.broker.send(RequestListener.this.endpoint.service(), this.replyTo, false,
						properties, body, RequestListener.this.retryConnect);
			}
			catch (RuntimeException ex) {
				logger.warn("Could not send a reply frame of " + RequestListener.this.qualifiedName + " to '"
						+ this.replyTo + "': " + ex.getMessage());
			}
		}

	}

}
