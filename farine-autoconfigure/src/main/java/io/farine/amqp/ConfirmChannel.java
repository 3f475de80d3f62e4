package io.farine.amqp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import org.jspecify.annotations.Nullable;

/**
 * A confirm-mode channel and the messages it has not had confirmed yet. Sequence numbers are
 * per channel, so a new channel starts a new map; when a channel dies its pending messages fail.
 * Futures are completed on the executor, never on the connection's reader thread, so a caller
 * that blocks in a dependent stage cannot stop confirms from arriving.
 */
final class ConfirmChannel implements ConfirmListener {

	final Channel channel;

	private final Executor completions;

	private final ConcurrentNavigableMap<Long, Pending> unconfirmed = new ConcurrentSkipListMap<>();

	private final Map<String, Pending> returnable = new ConcurrentHashMap<>();

	/**
	 * Whether the broker returns a mandatory message no queue takes and then acks it (RabbitMQ):
	 * there every message goes out mandatory, so that one that need not be can be counted. Qpid
	 * Broker-J nacks such a message instead, so there only mandatory ones are.
	 */
	private final boolean returnsUnroutable;

	ConfirmChannel(Channel channel, Executor completions) throws IOException {
		this.channel = channel;
		this.completions = completions;
		com.rabbitmq.client.Connection connection = channel.getConnection();
		Object product = (connection != null && connection.getServerProperties() != null)
				? connection.getServerProperties().get("product") : null;
		this.returnsUnroutable = product != null && "RabbitMQ".equalsIgnoreCase(product.toString());
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

	/**
	 * Publishes a message.
	 * @param pending the message's confirm
	 * @param mandatory whether a message no queue takes must fail ({@link UnroutableMessageException});
	 * on RabbitMQ every message is sent mandatory, and one that is not fails the same way, for its
	 * sender to count
	 * @param properties its properties
	 * @param body its body
	 * @throws IOException if the write fails
	 */
	void publish(Pending pending, boolean mandatory, AMQP.BasicProperties properties, byte[] body)
			throws IOException {
		boolean flag = mandatory || this.returnsUnroutable;
		// before the client counts the message: refused later, it would leave confirms out of step
		Map<String, Object> headers = properties.getHeaders();
		if (headers != null && !headers.isEmpty()) {
			try {
				AmqpHeaders.checkFit(headers, this.channel.getConnection().getFrameMax());
			}
			catch (IllegalArgumentException ex) {
				throw new NotSentException(ex.getMessage());
			}
		}
		long sequence = this.channel.getNextPublishSeqNo();
		this.unconfirmed.put(sequence, pending);
		if (flag && pending.messageId != null) {
			this.returnable.put(pending.messageId, pending);
		}
		try {
			this.channel.basicPublish(pending.exchange, pending.routingKey, flag, properties, body);
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
		// a returned message is unroutable whether the broker then acks it (RabbitMQ) or nacks it (Qpid Broker-J)
		if (returned != null) {
			pending.future.completeExceptionally(
					new UnroutableMessageException(pending.exchange, pending.routingKey, returned));
		}
		else if (!ack) {
			pending.future.completeExceptionally(new PublishException("The broker refused (nack) the message to exchange '"
					+ pending.exchange + "' with routing key '" + pending.routingKey + "'", null));
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

	/** Closes the channel, failing the messages it has not had confirmed; quietly if it is gone already. */
	void close() {
		try {
			this.channel.abort();
		}
		catch (IOException | RuntimeException ex) {
			// closed already: its pending messages have failed
		}
	}

	/** A message refused before anything was written: the channel is as it was. */
	static final class NotSentException extends IllegalArgumentException {

		NotSentException(String message) {
			super(message);
		}

	}

	/** A message waiting for its confirm. */
	static final class Pending {

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

}
