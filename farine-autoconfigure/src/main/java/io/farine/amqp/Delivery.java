package io.farine.amqp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import com.rabbitmq.client.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.ChannelProxy;

/**
 * A message being handled, settled at most once: by the handler through {@link FarineMessage},
 * or by the listener when the handler returns or fails.
 */
final class Delivery implements FarineMessage {

	private static final Log logger = LogFactory.getLog(Delivery.class);

	private final Message message;

	private final Channel channel;

	private final ConsumeListener listener;

	private final AtomicBoolean settled = new AtomicBoolean();

	Delivery(Message message, Channel channel, ConsumeListener listener) {
		this.message = message;
		// Settle on the physical channel the message came on: Spring's channel proxy would move a
		// late ack to a new channel after a reconnect, where the delivery tag means nothing and the
		// broker closes the channel. On the dead channel the ack fails and the broker redelivers.
		this.channel = (channel instanceof ChannelProxy proxy) ? proxy.getTargetChannel() : channel;
		this.listener = listener;
	}

	Message message() {
		return this.message;
	}

	boolean settled() {
		return this.settled.get();
	}

	boolean settle() {
		return this.settled.compareAndSet(false, true);
	}

	private MessageProperties properties() {
		return this.message.getMessageProperties();
	}

	@Override
	public byte[] body() {
		return this.message.getBody();
	}

	@Override
	public Map<String, Object> headers() {
		return Collections.unmodifiableMap(properties().getHeaders());
	}

	@Override
	public String routingKey() {
		return String.valueOf(properties().getReceivedRoutingKey());
	}

	@Override
	public String exchange() {
		return String.valueOf(properties().getReceivedExchange());
	}

	@Override
	public @Nullable String correlationId() {
		return properties().getCorrelationId();
	}

	@Override
	public @Nullable String replyTo() {
		return properties().getReplyTo();
	}

	@Override
	public @Nullable String messageId() {
		return properties().getMessageId();
	}

	@Override
	public boolean redelivered() {
		return Boolean.TRUE.equals(properties().getRedelivered());
	}

	@Override
	public void ack() {
		if (settle()) {
			basic(() -> this.channel.basicAck(properties().getDeliveryTag(), false));
		}
	}

	@Override
	public void reject() {
		if (settle()) {
			this.listener.deadLetter(this, new RejectedByHandlerException(), 1);
		}
	}

	@Override
	public void requeue() {
		if (settle()) {
			basic(() -> this.channel.basicNack(properties().getDeliveryTag(), false, true));
		}
	}

	void nackAndRequeue() {
		basic(() -> this.channel.basicNack(properties().getDeliveryTag(), false, true));
	}

	void rejectWithoutRequeue() {
		basic(() -> this.channel.basicReject(properties().getDeliveryTag(), false));
	}

	/** The largest frame the connection this message came on takes: 0 for no limit. */
	int frameMax() {
		return this.channel.getConnection().getFrameMax();
	}

	void ackNow() {
		basic(() -> this.channel.basicAck(properties().getDeliveryTag(), false));
	}

	/** Acknowledges this message and every earlier one of its channel not settled yet: one frame. */
	void ackWithEarlier() {
		basic(() -> this.channel.basicAck(properties().getDeliveryTag(), true));
	}

	long deliveryTag() {
		return properties().getDeliveryTag();
	}

	/** The physical channel the message came on: a delivery tag means something on it only. */
	Channel channel() {
		return this.channel;
	}

	private void basic(IoAction action) {
		if (!this.channel.isOpen()) {
			logger.warn("The channel of a message from '" + routingKey()
					+ "' closed before it was settled; the broker will deliver it again");
			return;
		}
		try {
			action.run();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@FunctionalInterface
	private interface IoAction {

		void run() throws IOException;

	}

	/** The reason recorded when a handler rejects its message. */
	static final class RejectedByHandlerException extends RuntimeException {

		RejectedByHandlerException() {
			super("rejected by handler", null, false, false);
		}

	}

}
