package io.farine.amqp;

import java.util.ArrayList;
import java.util.List;

import com.rabbitmq.client.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.farine.service.BatchTransactions;
import io.farine.service.HandlerException;
import io.farine.service.HandlerInvoker;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareBatchMessageListener;
import org.springframework.transaction.NestedTransactionNotSupportedException;

/**
 * Runs one {@code @Consume} handler on batches of deliveries ({@code db_batch_size} above 1) in
 * one transaction, which commits once; only then are the committed messages acknowledged, in one
 * frame when their tags allow it. Each message keeps the semantics of a transaction of its own:
 * its work and its outbox rows commit together or not at all, and it is handled at least once.
 * <ul>
 * <li>The first try handles the messages one after another in the transaction, without
 * savepoints: a savepoint costs two more round trips a message, and beyond 64 in one transaction
 * PostgreSQL looks its subtransactions up on disk. A message whose body cannot be read fails
 * before its handler runs, so it touches nothing: it stays out of the batch.</li>
 * <li>A handler that throws in the first try rolls the whole transaction back, and the batch is
 * handled again in a new one, each message in a savepoint of its own, except the one that failed.
 * The messages before it so run twice, their first work undone; what a handler does outside the
 * database (a call to another service, a publish with the outbox off) happens twice, as with a
 * redelivery. A handler that throws in its savepoint rolls back to it, the others stay.</li>
 * <li>Each message that failed is handled again on its own once the others committed and were
 * acknowledged, as with {@code db_batch_size = 1}: with its retries (the failed try in the batch
 * is not one of them), then the dead-letter queue. So no retry delay holds the batch's
 * transaction open.</li>
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

	private final BatchTransactions batches;

	/** Whether the log said once that the transaction manager makes no savepoints. */
	private volatile boolean toldNoSavepoints;

	BatchConsumeListener(ConsumeListener single, HandlerInvoker invoker) {
		this.single = single;
		this.invoker = invoker;
		this.batches = invoker.batches();
	}

	@Override
	public void onMessageBatch(List<Message> messages, Channel channel) {
		if (!this.batches.transactional(this.single.handler())) {
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
		List<Delivery> failed = new ArrayList<>();
		try {
			try {
				inOneTransaction(() -> handleWithoutSavepoints(batch, failed));
			}
			catch (FirstTryFailed ex) {
				logger.debug("The try of " + this.single.handler() + " in a batch failed; handling the batch's "
						+ "others again, each in a savepoint", ex.getCause());
				List<Delivery> rest = new ArrayList<>(batch);
				rest.removeAll(failed);
				rest.remove(ex.delivery);
				failedInBatch(ex.delivery, ex.getCause(), failed);
				inOneTransaction(() -> handleInSavepoints(rest, failed));
			}
		}
		catch (RuntimeException ex) {
			logger.error("The transaction of " + batch.size() + " message(s) from queue '" + this.single.queue()
					+ "' handled by " + this.single.handler() + " did not commit; requeueing them all", ex);
			BatchAcks.requeue(batch);
			return;
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

	private void inOneTransaction(Runnable work) {
		this.batches.inOneTransaction(this.single.handler(), () -> {
			work.run();
			return null;
		});
	}

	/**
	 * Handles each message in the open transaction, adding those that cannot be read to
	 * {@code failed}.
	 * @throws FirstTryFailed at the first handler that fails, to roll the transaction back
	 */
	private void handleWithoutSavepoints(List<Delivery> batch, List<Delivery> failed) {
		for (Delivery delivery : batch) {
			Throwable failure = this.invoker.observe(this.single.observation(delivery.message()), this::handleOne,
					delivery, Boolean.FALSE);
			if (failure instanceof HandlerException ex && ex.badInput()) {
				failed.add(delivery);
			}
			else if (failure != null) {
				throw new FirstTryFailed(delivery, failure);
			}
		}
	}

	/**
	 * Handles each message in a savepoint of the open transaction, adding to {@code failed} those
	 * whose handler failed and did not settle its message itself.
	 */
	private void handleInSavepoints(List<Delivery> batch, List<Delivery> failed) {
		for (Delivery delivery : batch) {
			Throwable failure = this.invoker.observe(this.single.observation(delivery.message()), this::handleOne,
					delivery, Boolean.TRUE);
			if (failure == null) {
				continue;
			}
			if (failure.getCause() instanceof NestedTransactionNotSupportedException && !this.toldNoSavepoints) {
				this.toldNoSavepoints = true;
				logger.warn("The transaction manager has no savepoints (" + failure.getCause().getMessage()
						+ "): after a failure in a batch, every message of queue '" + this.single.queue()
						+ "' is handled on its own; remove db_batch_size, or give the application a "
						+ "DataSourceTransactionManager");
			}
			failedInBatch(delivery, failure, failed);
		}
	}

	/**
	 * Adds a message whose handler failed in the batch to those handled again on their own once
	 * the batch committed, unless the handler settled it itself.
	 */
	private void failedInBatch(Delivery delivery, Throwable failure, List<Delivery> failed) {
		if (delivery.settled()) {
			logger.warn(this.single.handler() + " failed after settling its message itself", failure);
			return;
		}
		logger.debug("The try of " + this.single.handler() + " in a batch failed; the message is handled again on "
				+ "its own once the batch committed", failure);
		failed.add(delivery);
	}

	private @Nullable Throwable handleOne(Delivery delivery, Boolean savepoint) {
		try {
			this.single.invokeInBatch(delivery, savepoint);
			return null;
		}
		catch (HandlerException ex) {
			return ex;
		}
	}

	/** The first failure of a handler in a batch's first try: rolls its transaction back. */
	private static final class FirstTryFailed extends RuntimeException {

		private final transient Delivery delivery;

		FirstTryFailed(Delivery delivery, Throwable failure) {
			super(failure.getMessage(), failure, false, false);
			this.delivery = delivery;
		}

	}

}
