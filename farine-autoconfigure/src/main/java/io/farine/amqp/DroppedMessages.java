package io.farine.amqp;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.core.MessageListener;

/**
 * The inbound messages farine let go without handing them to anyone, counted by why: a cluster
 * event, query or answer, or an RPC reply, larger than {@code max_message_size}; an answer or
 * reply that belongs to no query or call in flight; a query whose reply-to names no asking
 * process. Paths whose messages have a sender to tell (an {@code @Consume} message goes to its
 * dead-letter queue, an RPC request gets an error reply) do not drop; these have none. The
 * counts are the {@code farine.inbound.dropped} metric.
 * <p>
 * Not part of farine's API: public because the RPC and cluster runtimes count what they drop in it,
 * and autoconfigure's gauges read it.
 */
public final class DroppedMessages {

	private static final Log logger = LogFactory.getLog(DroppedMessages.class);

	/** Why a message was dropped, and on which path: the tags of {@code farine.inbound.dropped}. */
	public enum Reason {

		/** A cluster event larger than {@code max_message_size}. */
		EVENT_TOO_LARGE("event", "too_large"),

		/** A cluster query larger than {@code max_message_size}. */
		QUERY_TOO_LARGE("query", "too_large"),

		/** A cluster query whose reply-to names no process's answers queue. */
		QUERY_REPLY_TO_NOT_AN_ASKER("query", "reply_to_not_an_asker"),

		/** A query answer larger than {@code max_message_size}. */
		ANSWER_TOO_LARGE("answer", "too_large"),

		/** A query answer for no query in flight (late, or forged). */
		ANSWER_UNKNOWN_QUERY("answer", "unknown_query"),

		/** An RPC reply frame larger than {@code max_message_size}. */
		REPLY_TOO_LARGE("rpc_reply", "too_large"),

		/** An RPC reply frame for no call in flight (late, or forged). */
		REPLY_UNKNOWN_CALL("rpc_reply", "unknown_correlation_id");

		private final String path;

		private final String reason;

		Reason(String path, String reason) {
			this.path = path;
			this.reason = reason;
		}

		/**
		 * The path: {@code event}, {@code query}, {@code answer} or {@code rpc_reply}.
		 * @return the path tag
		 */
		public String path() {
			return this.path;
		}

		/**
		 * The reason, as a metric tag.
		 * @return the reason tag
		 */
		public String reason() {
			return this.reason;
		}

	}

	private final Map<Reason, LongAdder> counts = new EnumMap<>(Reason.class);

	/** Creates a tally with every count at zero. */
	public DroppedMessages() {
		for (Reason reason : Reason.values()) {
			this.counts.put(reason, new LongAdder());
		}
	}

	/**
	 * Counts a dropped message.
	 * @param reason why it was dropped
	 */
	public void drop(Reason reason) {
		this.counts.get(reason).increment();
	}

	/**
	 * How many messages were dropped for a reason since the application started.
	 * @param reason the reason
	 * @return the count
	 */
	public long count(Reason reason) {
		return this.counts.get(reason).sum();
	}

	/**
	 * A listener that drops, logs and counts a message larger than a limit, and hands the others
	 * to another listener.
	 * @param tooLarge the reason a message too large is counted under
	 * @param maxBytes the largest body passed on
	 * @param where the queue, for the log line
	 * @param listener the listener of the others
	 * @return the listener
	 */
	public MessageListener limited(Reason tooLarge, long maxBytes, String where, MessageListener listener) {
		return (message) -> {
			int size = message.getBody().length;
			if (size > maxBytes) {
				drop(tooLarge);
				logger.warn("Dropped a " + tooLarge.path() + " of " + size + " bytes from queue '" + where
						+ "': larger than max_message_size (" + maxBytes + " bytes); message id "
						+ message.getMessageProperties().getMessageId());
				return;
			}
			listener.onMessage(message);
		};
	}

}
