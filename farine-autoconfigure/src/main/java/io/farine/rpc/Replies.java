package io.farine.rpc;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import com.rabbitmq.client.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;

import io.farine.amqp.Broker;
import io.farine.amqp.CorrelatedProperties;

/**
 * The reply frames of one RPC request, in the form its caller asked for: one frame per item then
 * the end (any caller), one compact frame for a plain result, or batches of items (a farine
 * caller). Stops a stream when the caller stopped waiting or went away.
 */
final class Replies {

	private static final Log logger = LogFactory.getLog(Replies.class);

	private final ServedMethod method;

	private final @Nullable String replyTo;

	private final @Nullable String correlationId;

	/** How long the caller waits for each frame, in ms; 0 for no bound. */
	private final long patience;

	/** When the caller gives up unless a frame reaches it first; moves on with each item sent. */
	private long deadline;

	private @Nullable CorrelatedProperties properties;

	/** Set once the caller's deadline passed mid-stream: nothing more is sent. */
	private boolean abandoned;

	/** Whether the caller asked for a plain result and the end in one frame (a farine caller). */
	private final boolean compact;

	/** Set when a farine caller's stream is sent in batches. */
	private final @Nullable BatchedFrames batches;

	/** The channel the request came on, which a compact reply goes back on. */
	private final Channel channel;

	Replies(ServedMethod method, Channel channel, @Nullable String replyTo, @Nullable String correlationId,
			long patience, String form) {
		this.method = method;
		this.channel = channel;
		this.compact = RpcFrames.COMPACT.equals(form);
		this.batches = (RpcFrames.BATCH.equals(form) && replyTo != null)
				? new BatchedFrames((frame) -> publish(frame, null), this.method.batchSender()) : null;
		this.replyTo = replyTo;
		this.correlationId = correlationId;
		this.patience = patience;
		this.deadline = (patience > 0) ? System.currentTimeMillis() + patience : Long.MAX_VALUE;
	}

	/** How long the caller still waits for the next frame; a week when it set no bound. */
	java.time.Duration remaining() {
		return (this.deadline == Long.MAX_VALUE) ? java.time.Duration.ofDays(7)
				: java.time.Duration.ofMillis(Math.max(1, this.deadline - System.currentTimeMillis()));
	}

	/**
	 * The properties of every frame of this reply, made once: JSON, transient, the request's
	 * correlation id. No message id: nothing matches replies by it.
	 */
	private CorrelatedProperties properties() {
		CorrelatedProperties current = this.properties;
		if (current == null) {
			current = CorrelatedProperties.reply(this.correlationId);
			this.properties = current;
		}
		return current;
	}

	/**
	 * Sends items until there are no more, one took longer to make than the caller waits for
	 * each, or the caller went away (closed its stream, or ended): nothing more is made or sent
	 * then.
	 */
	void items(Iterator<?> items) throws InterruptedException {
		AtomicBoolean gone = new AtomicBoolean();
		if (this.correlationId != null) {
			this.method.streams().put(this.correlationId, gone);
		}
		try {
			long sent = 0;
			while (items.hasNext()) {
				Object next = items.next();
				long now = System.currentTimeMillis();
				if (now > this.deadline || gone.get()) {
					this.abandoned = true;
					if (this.batches != null) {
						this.batches.drop();
					}
					logger.info(this.method.qualifiedName() + ": the caller " + (gone.get()
							? "went away (its reply queue is gone)" : "stopped waiting (its timeout passed)")
							+ " after " + sent + " item(s); the stream stops");
					return;
				}
				if (this.batches != null) {
					this.batches.add(mapper().writeValueAsBytes(next));
				}
				else {
					item(next);
				}
				sent++;
				if (this.patience > 0) {
					this.deadline = now + this.patience;
				}
			}
		}
		finally {
			if (this.correlationId != null) {
				this.method.streams().remove(this.correlationId);
			}
		}
	}

	void item(@Nullable Object item) {
		if (this.replyTo != null) {
			publish(RpcFrames.item(mapper(), item), null);
		}
	}

	/** A plain result: one compact frame for a farine caller, an item and the end for any other. */
	void result(@Nullable Object result) {
		if (this.compact) {
			if (this.replyTo != null) {
				publish(RpcFrames.lastItem(mapper(), result), null);
			}
		}
		else {
			item(result);
			end();
		}
	}

	void end() {
		if (this.replyTo != null && !this.abandoned) {
			last(() -> publish(RpcFrames.end(), null));
		}
	}

	void error(Throwable error) {
		if (this.replyTo != null) {
			last(() -> publish(RpcFrames.error(mapper(), RpcFrames.errorText(error, this.method.stackTrace())),
					error.getClass().getName()));
		}
	}

	/** Sends the last frame, after every batched item when the items are batched. */
	private void last(Runnable send) {
		if (this.batches == null) {
			send.run();
			return;
		}
		try {
			this.batches.finish(send);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private ObjectMapper mapper() {
		return this.method.mapper();
	}

	private void publish(byte[] body, @Nullable String exceptionType) {
		CorrelatedProperties properties = (exceptionType != null)
				? properties().withHeader(RpcFrames.EXCEPTION_TYPE_HEADER, exceptionType) : properties();
		try {
			if (this.compact && this.channel.isOpen()) {
				// a call's only frame: on the request's channel, right after its acknowledgement
				this.method.broker().send(this.channel, this.method.service(), this.replyTo, properties, body);
			}
			else {
				// and a reply whose request's channel closed while the method ran goes like the frames of streams;
				// mandatory: the broker returns a frame whose caller's queue is gone, which stops a stream
				this.method.broker().send(this.method.service(), this.replyTo, true, properties, body,
						this.method.retryConnect());
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not send a reply frame of " + this.method.qualifiedName() + " to '"
					+ this.replyTo + "': " + ex.getMessage());
		}
	}

	/**
	 * What every reply of one served method shares.
	 *
	 * @param qualifiedName {@code service.method}, for log lines
	 * @param service the service, whose exchange replies go through
	 * @param broker sends the frames
	 * @param mapper writes the frames
	 * @param stackTrace whether error frames carry the stack trace
	 * @param retryConnect whether a send waits for the connection to come back
	 * @param streams streams being sent, by correlation id, each flagged once its caller went away
	 * @param batchSender sends the batches of streams to farine callers
	 */
	record ServedMethod(String qualifiedName, String service, Broker broker, ObjectMapper mapper, boolean stackTrace,
			boolean retryConnect, Map<String, AtomicBoolean> streams, Executor batchSender) {
	}

}
