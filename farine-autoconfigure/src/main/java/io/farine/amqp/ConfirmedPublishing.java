package io.farine.amqp;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.ReentrantLock;

import com.rabbitmq.client.AMQP;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The confirmed publish path of one broker, every farine message takes it ({@link Publisher}s,
 * dead-lettering): one confirm-mode channel on the publishing connection. Each message carries a
 * {@code message_id}; a mandatory message the broker returns is matched by it, and its confirm
 * then fails with an {@link UnroutableMessageException}.
 * <p>
 * With an open channel a publish is written at once; without one, while the broker blocks the
 * connection (a memory or disk alarm), while another thread is writing, or when its body is larger
 * than {@value #INLINE_LIMIT} bytes, it is handed, in order
 * behind earlier such messages, to one sending thread: no caller blocks on a reconnect or on a
 * socket the broker stopped reading. At most {@code publish_queue_limit} wait there; one more
 * fails at once.
 */
final class ConfirmedPublishing {

	private static final Log logger = LogFactory.getLog(ConfirmedPublishing.class);

	/**
	 * The largest body written on the caller's thread: a write that fits in the socket's buffer
	 * returns even when the broker has just stopped reading; a larger one goes to the sending
	 * thread, where only that thread waits for the broker.
	 */
	static final int INLINE_LIMIT = 128 * 1024;

	private final Broker.ChannelSource channels;

	private final Executor completions;

	private final String where;

	/** Whether the broker blocks the connection: publishes then wait on the sending thread. */
	private final BooleanSupplier blocked;

	private final int queueLimit;

	private final ReentrantLock publishLock = new ReentrantLock();

	/** Held while the channel is opened; never while publishing. */
	private final ReentrantLock connectLock = new ReentrantLock();

	/** Publishes that wait for a connection (or a blocked one), one at a time, in order. */
	private final ExecutorService reconnecting = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "farine-publish-connect");
		thread.setDaemon(true);
		return thread;
	});

	/** How many publishes wait in {@link #reconnecting}: later ones queue behind them, in order. */
	private final AtomicInteger waiting = new AtomicInteger();

	private volatile @Nullable ConfirmChannel channel;

	/**
	 * @param channels opens channels on the publishing connection
	 * @param completions completes confirm futures, off the connection's reader thread
	 * @param where the broker, password masked, for messages
	 * @param blocked whether the broker blocks the publishing connection
	 * @param queueLimit how many publishes may wait for the sending thread
	 */
	ConfirmedPublishing(Broker.ChannelSource channels, Executor completions, String where, BooleanSupplier blocked,
			int queueLimit) {
		this.channels = channels;
		this.completions = completions;
		this.where = where;
		this.blocked = blocked;
		this.queueLimit = queueLimit;
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
		ConfirmChannel.Pending pending = new ConfirmChannel.Pending(exchange, routingKey, properties.getMessageId());
		// a thread already writing may be stuck on a socket the broker stopped reading: never wait for it;
		// nor write a large body on the caller's thread, which the broker may stop reading midway
		if (body.length > INLINE_LIMIT || this.blocked.getAsBoolean() || !this.publishLock.tryLock()) {
			queue(pending, mandatory, properties, body, retryConnect);
			return pending.future;
		}
		try {
			ConfirmChannel current = this.channel;
			if (this.waiting.get() == 0 && current != null && current.channel.isOpen()) {
				publishOrAbandon(current, pending, mandatory, properties, body);
				return pending.future;
			}
			// behind earlier queued messages, under the lock, so that a thread's messages keep their order
			queue(pending, mandatory, properties, body, retryConnect);
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
	 * Hands a message to the sending thread, which connects first if need be, off the caller's
	 * thread: publishAsync never blocks and publish waits at most its publish_timeout.
	 */
	private void queue(ConfirmChannel.Pending pending, boolean mandatory, AMQP.BasicProperties properties, byte[] body,
			boolean retryConnect) {
		if (this.waiting.incrementAndGet() > this.queueLimit) {
			this.waiting.decrementAndGet();
			fail(pending, new IllegalStateException(this.queueLimit + " publishes already wait for the connection "
					+ "(publish_queue_limit): the broker is out of reach or blocks publishing"));
			return;
		}
		try {
			this.reconnecting.execute(() -> publishWhenConnected(pending, mandatory, properties, body, retryConnect));
		}
		catch (RuntimeException ex) {
			this.waiting.decrementAndGet();
			fail(pending, ex);
		}
	}

	/**
	 * Publishes messages in order on one channel, for a sender whose receivers must
	 * never get a later message before an earlier one sent again (the outbox relay, which sends a
	 * batch again when one of its messages was not confirmed): the channel open now, opened first
	 * if there is none (on the caller's thread), takes them all, and once it is gone the rest fail
	 * at once instead of going ahead on a new channel.
	 * @param messages the messages
	 * @param retryConnect whether to retry while the connection cannot be opened
	 * @return one confirm future per message, in order
	 */
	List<CompletableFuture<Void>> publishInOrder(List<Outgoing> messages, boolean retryConnect) {
		List<ConfirmChannel.Pending> pendings = messages.stream()
			.map((message) -> new ConfirmChannel.Pending(message.exchange(), message.routingKey(), message.properties().getMessageId()))
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
				ConfirmChannel.Pending pending = pendings.get(i);
				if (lost == null && !target.channel.isOpen()) {
					lost = new IOException("the channel closed before this message; none after it is sent on another");
				}
				if (lost != null) {
					fail(pending, lost);
					continue;
				}
				try {
					publishOrAbandon(target, pending, messages.get(i).mandatory(), messages.get(i).properties(),
							messages.get(i).body());
				}
				catch (ConfirmChannel.NotSentException ex) {
					// refused before it was written: the channel goes on with the next
					fail(pending, ex);
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
	record Outgoing(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body,
			boolean mandatory) {
	}

	private void publishWhenConnected(ConfirmChannel.Pending pending, boolean mandatory, AMQP.BasicProperties properties,
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
					publishOrAbandon(target, pending, mandatory, properties, body);
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

	/**
	 * Publishes on a channel, held under the publish lock. A message refused before it was counted
	 * (headers that cannot fit) fails alone. When the write itself fails, this message fails (it
	 * may or may not have reached the broker), and the channel is closed, off this thread: either
	 * the connection broke before the client noticed, or the client counted a message it never
	 * wrote and the broker's confirms no longer match. The next messages wait for a new channel.
	 */
	private void publishOrAbandon(ConfirmChannel target, ConfirmChannel.Pending pending, boolean mandatory,
			AMQP.BasicProperties properties, byte[] body) throws IOException {
		try {
			target.publish(pending, mandatory, properties, body);
		}
		catch (ConfirmChannel.NotSentException ex) {
			throw ex;
		}
		catch (IOException | RuntimeException ex) {
			if (this.channel == target) {
				this.channel = null;
			}
			this.completions.execute(target::close);
			throw ex;
		}
	}

	private void fail(ConfirmChannel.Pending pending, Exception ex) {
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

}
