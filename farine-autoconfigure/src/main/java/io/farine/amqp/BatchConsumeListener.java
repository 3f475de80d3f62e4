package io.farine.amqp;

import java.util.ArrayList;
import java.util.List;

import com.rabbitmq.client.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.farine.service.HandlerException;
import io.farine.service.HandlerInvoker;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareBatchMessageListener;
import org.springframework.transaction.NestedTransactionNotSupportedException;

/**
 * Runs one {@code @Consume} handler on batches of deliveries ({@code db_batch_size} above 1) in
 * one transaction: each message is handled in a savepoint of its own, the transaction commits
 * once, and only then are the committed messages acknowledged, in one frame when their tags
 * allow it. Each message keeps the semantics of a transaction of its own: its work and its
 * outbox rows commit together or not at all, and it is handled at least once.
 * <ul>
 * <li>A handler that throws rolls back to its savepoint, and once the others committed and were
 * acknowledged its message is handled again on its own, as with {@code db_batch_size = 1}: with
 * its retries (the failed try in the batch is not one of them) and then the dead-letter queue.
 * So no retry delay holds the batch's transaction open.</li>
 * <li>When the commit fails, no message is acknowledged: each goes back to its queue. A message
 * that arrives redelivered is handled on its own, so a message whose work cannot commit (a
 * deferred constraint) fails alone, and is dead-lettered, instead of failing every batch it is
 * in.</li>
 * <li>A message whose body asks for its timings ({@code debug = true}) is handled on its own.</li>
 * </ul>
 * Never throws: every message ends acknowledged, dead-lettered or back on its queue.
 */
final class BatchConsumeListener implements ChannelAwareBatchMessageListener {

	private static final Log logger = LogFactory.getLog(BatchConsumeListener.class);

	/** Handles a message on its own, as {@code db_batch_size = 1} does. */
	private final ConsumeListener single;

	private final HandlerInvoker invoker;

	/** Whether the log said once that the transaction manager makes no savepoints. */
	private volatile boolean toldNoSavepoints;

	BatchConsumeListener(ConsumeListener single, HandlerInvoker invoker) {
		this.single = single;
		this.invoker = invoker;
	}

	@Override
	public void onMessageBatch(List<Message> messages, Channel channel) {
		if (!this.invoker.transactional(this.single.handler())) {
			// no database, or a transaction of the method's own: nothing to batch
			messages.forEach((message) -> this.single.onMessage(message, channel));
			return;
		}
		List<Delivery> batch = new ArrayList<>(messages.size());
		for (Message message : messages) {
			if (Boolean.TRUE.equals(message.getMessageProperties().getRedelivered())
					|| this.single.asksForTimings(message)) {
				this.single.onMessage(message, channel);
			}
			else {
				batch.add(new Delivery(message, channel, this.single));
			}
		}
		if (!batch.isEmpty()) {
			handle(batch, channel);
		}
	}

	private void handle(List<Delivery> batch, Channel channel) {
		List<Delivery> failed;
		try {
			failed = this.invoker.inOneTransaction(this.single.handler(), () -> handleEach(batch));
		}
		catch (RuntimeException ex) {
			logger.error("The transaction of " + batch.size() + " message(s) from queue '" + this.single.queue()
					+ "' handled by " + this.single.handler() + " did not commit; requeueing them all", ex);
			BatchAcks.requeue(batch);
			return;
		}
		if (failed == null) {
			failed = List.of();
		}
		List<Delivery> committed = new ArrayList<>(batch.size());
		for (Delivery delivery : batch) {
			if (!delivery.settled() && !failed.contains(delivery)) {
				committed.add(delivery);
			}
		}
		BatchAcks.ack(batch, committed);
		for (Delivery delivery : failed) {
			this.single.onMessage(delivery.message(), channel);
		}
	}

	/**
	 * Handles each message in a savepoint of the open transaction.
	 * @return the messages whose handler failed and which it did not settle itself, to handle again
	 */
	private List<Delivery> handleEach(List<Delivery> batch) {
		List<Delivery> failed = new ArrayList<>();
		for (Delivery delivery : batch) {
			Throwable failure = this.invoker.observe(this.single.observation(delivery.message()), this::handleOne,
					delivery, Boolean.TRUE);
			if (failure == null) {
				continue;
			}
			if (delivery.settled()) {
				logger.warn(this.single.handler() + " failed after settling its message itself", failure);
			}
			else {
				if (failure.getCause() instanceof NestedTransactionNotSupportedException && !this.toldNoSavepoints) {
					this.toldNoSavepoints = true;
					logger.warn("The transaction manager has no savepoints (" + failure.getCause().getMessage()
							+ "): every message of queue '" + this.single.queue() + "' is handled on its own; remove "
							+ "db_batch_size, or give the application a DataSourceTransactionManager");
				}
				logger.debug("The try of " + this.single.handler() + " in a batch failed; the message is handled "
						+ "again on its own once the batch committed", failure);
				failed.add(delivery);
			}
		}
		return failed;
	}

	private @Nullable Throwable handleOne(Delivery delivery, Boolean inBatch) {
		try {
			this.single.invokeInSavepoint(delivery);
			return null;
		}
		catch (HandlerException ex) {
			return ex;
		}
	}

}
