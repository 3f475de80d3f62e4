package io.farine.amqp;

import java.util.List;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Acknowledges the messages of a batch whose transaction committed, in one frame when it can: a
 * multiple ack of the last delivery tag acknowledges every earlier message of the channel not
 * settled yet, so it is sent only when those are exactly the batch's committed messages (their
 * tags contiguous on one channel, every other earlier message of the batch settled already);
 * otherwise each message is acknowledged on its own.
 */
final class BatchAcks {

	private static final Log logger = LogFactory.getLog(BatchAcks.class);

	private BatchAcks() {
	}

	/**
	 * Acknowledges committed messages.
	 * @param batch the batch's messages, in delivery order
	 * @param committed those to acknowledge, in delivery order, none settled yet
	 */
	static void ack(List<Delivery> batch, List<Delivery> committed) {
		if (committed.isEmpty()) {
			return;
		}
		committed.forEach(Delivery::settle);
		Delivery last = committed.get(committed.size() - 1);
		try {
			if (oneFrame(batch, committed, last)) {
				last.ackWithEarlier();
			}
			else {
				committed.forEach(Delivery::ackNow);
			}
		}
		catch (RuntimeException ex) {
			// the channel broke: the broker delivers the messages again, and an idempotent consumer's inbox knows them
			logger.warn("Could not acknowledge a batch of " + committed.size() + " committed message(s); the broker "
					+ "will deliver them again", ex);
		}
	}

	private static boolean oneFrame(List<Delivery> batch, List<Delivery> committed, Delivery last) {
		long first = committed.get(0).deliveryTag();
		if (last.deliveryTag() - first + 1 != committed.size()) {
			return false;
		}
		Set<Delivery> acked = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
		acked.addAll(committed);
		for (Delivery delivery : batch) {
			if (delivery.channel() != last.channel()) {
				return false;
			}
			if (!acked.contains(delivery) && delivery.deliveryTag() <= last.deliveryTag() && !delivery.settled()) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Puts messages back on their queue, each on its own, for a batch whose transaction did not
	 * commit.
	 * @param batch the batch's messages
	 */
	static void requeue(List<Delivery> batch) {
		for (Delivery delivery : batch) {
			if (delivery.settle()) {
				try {
					delivery.nackAndRequeue();
				}
				catch (RuntimeException ex) {
					logger.warn("Could not requeue a message of a batch that did not commit; the broker will deliver "
							+ "it again once its channel is closed", ex);
				}
			}
		}
	}

}
