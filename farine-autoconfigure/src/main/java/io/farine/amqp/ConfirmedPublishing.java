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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The confirmed publish path of one broker, every farine message takes it ({@link Publisher}s,
 * dead-lettering): one confirm-mode channel on the publishing connection. Each message carries a
 * {@code message_id}; a mandatory message the broker returns is matched by it, and its confirm
 * then fails with an {@link UnroutableMessageException}.
 * <p>
 * With an open channel a publish is written at once; without one it is handed, in order behind
 * earlier such messages, to one connecting thread, so no caller blocks on a reconnect.
 */
final class ConfirmedPublishing {

	private static final Log logger = LogFactory.getLog(ConfirmedPublishing.class);

	private final Broker.ChannelSource channels;

	private final Executor completions;

	private final String where;

	private final ReentrantLock publishLock = new ReentrantLock();

	/** Held while the channel is opened; never while publishing. */
	private final ReentrantLock connectLock = new ReentrantLock();

	/** Publishes that wait for a connection, one at a time, in order. */
	private final ExecutorService reconnecting = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "farine-publish-connect");
		thread.setDaemon(true);
		return thread;
	});

	/** How many publishes wait in {@link #reconnecting}: later ones queue behind them, in order. */
	private final AtomicInteger waiting = new AtomicInteger();

	private @Nullable ConfirmChannel channel;

	/**
	 * @param channels opens channels on the publishing connection
	 * @param completions completes confirm futures, off the connection's reader thread
	 * @param where the broker, password masked, for messages
	 */
	ConfirmedPublishing(Broker.ChannelSource channels, Executor completions, String where) {
		this.channels = channels;
		this.completions = completions;
		this.where = where;
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

	/**
	 * Publishes messages, mandatory, in order on one channel, for a sender whose receivers must
	 * never get a later message before an earlier one sent again (the outbox relay, which sends a
	 * batch again when one of its messages was not confirmed): the channel open now, opened first
	 * if there is none (on the caller's thread), takes them all, and once it is gone the rest fail
	 * at once instead of going ahead on a new channel.
	 * @param messages the messages
	 * @param retryConnect whether to retry while the connection cannot be opened
	 * @return one confirm future per message, in order
	 */
	List<CompletableFuture<Void>> publishInOrder(List<Outgoing> messages, boolean retryConnect) {
		List<Pending> pendings = messages.stream()
			.map((message) -> new Pending(message.exchange(), message.routingKey(), message.properties().getMessageId()))
			.toList();
		List<CompletableFuture<Void>> confirms = pendings.stream().map((pending) -> pending.future).toList();
		ConfirmChannel target;
		try {
			target = openChannel(retryConnect);
		}
		catch (Exception ex) {
			pendings.forEach((pending) -> fail(pending, ex));
			return confirms;
		}
		this.publishLock.lock();
		try {
			Exception lost = null;
			for (int i = 0; i < messages.size(); i++) {
				Pending pending = pendings.get(i);
				if (lost == null && !target.channel.isOpen()) {
					lost = new IOException("the channel closed before this message; none after it is sent on another");
				}
				if (lost != null) {
					fail(pending, lost);
					continue;
				}
				try {
					target.publish(pending, true, messages.get(i).properties(), messages.get(i).body());
				}
				catch (IOException | RuntimeException ex) {
					lost = ex;
					fail(pending, ex);
				}
			}
		}
		finally {
			this.publishLock.unlock();
		}
		return confirms;
	}

	/** A message of {@link #publishInOrder}. */
	record Outgoing(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {
	}

	private void publishWhenConnected(Pending pending, boolean mandatory, AMQP.BasicProperties properties,
			byte[] body, boolean retryConnect) {
		try {
			if (pending.future.isDone()) {
				return;
			}
			ConfirmChannel target = openChannel(retryConnect);
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
				+ "' with routing key '" + pending.routingKey + "' on " + this.where + ": " + ex.getMessage(), ex));
	}

	private ConfirmChannel openChannel(boolean retry) throws Exception {
		this.connectLock.lock();
		try {
			ConfirmChannel current = this.channel;
			if (current != null && current.channel.isOpen()) {
				return current;
			}
			current = new ConfirmChannel(this.channels.open(retry), this.completions);
			this.channel = current;
			return current;
		}
		finally {
			this.connectLock.unlock();
		}
	}

	void close() {
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
