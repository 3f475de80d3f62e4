package io.farine.rpc;

import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A call waiting for its frames. Ends once: with its end frame, an error frame, a failure to
 * send, a timeout, or a cancellation; then it leaves the correlation map. The timeout is an
 * idle timeout: each frame restarts it. No timer per call: {@link ReplyQueue#sweep()} checks them
 * all. A frame handed to a streaming reader may wait while the reader is behind; that wait is not
 * idleness.
 */
final class PendingCall {

	final String correlationId;

	final RpcTransport.Call call;

	private final RpcTransport.ReplyListener listener;

	private final AtomicBoolean done = new AtomicBoolean();

	private final long timeoutNanos;

	private volatile long lastFrameNanos = System.nanoTime();

	private volatile boolean sawItem;

	/** The call's own reply consumer, for a streaming call; stopped when the call ends. */
	private final @Nullable StreamConsumer own;

	/** The calls in flight of its reply queue, which this one leaves when it ends. */
	private final Map<String, PendingCall> calls;

	/** Runs listeners of calls failed by the timer, a return or a lost connection: never those threads. */
	private final Executor callbacks;

	PendingCall(String correlationId, RpcTransport.Call call, RpcTransport.ReplyListener listener,
			@Nullable StreamConsumer own, Map<String, PendingCall> calls, Executor callbacks) {
		this.calls = calls;
		this.callbacks = callbacks;
		this.correlationId = correlationId;
		this.call = call;
		this.listener = listener;
		this.timeoutNanos = call.timeout().toNanos();
		this.own = own;
	}

	void frame(JsonNode frame, @Nullable String exceptionType) {
		this.lastFrameNanos = System.nanoTime();
		JsonNode error = frame.get(RpcFrames.EXCEPT);
		if (error != null) {
			String text = error.isString() ? error.stringValue() : error.toString();
			if (finish()) {
				this.listener.error(RpcFrames.remoteError(this.call.service(), this.call.method(), text,
						exceptionType));
			}
		}
		else if (RpcFrames.isEnd(frame)) {
			// a compact reply carries its only item with the end
			JsonNode body = frame.get(RpcFrames.BODY);
			if (body != null && !this.done.get()) {
				this.sawItem = true;
				this.listener.item(body);
			}
			if (finish()) {
				this.listener.end();
			}
		}
		else if (frame.get(RpcFrames.ITEMS) instanceof tools.jackson.databind.node.ArrayNode batch) {
			// a farine server's batch of the items that were ready
			for (JsonNode item : batch) {
				if (this.done.get()) {
					break;
				}
				this.sawItem = true;
				this.listener.item(item);
				this.lastFrameNanos = System.nanoTime();
			}
		}
		else if (frame.has(RpcFrames.BODY)) {
			if (!this.done.get()) {
				this.sawItem = true;
				// may wait for a slow reader of a stream; the wait is not idleness
				this.listener.item(frame.get(RpcFrames.BODY));
				this.lastFrameNanos = System.nanoTime();
			}
		}
		else {
			fail(new RpcException(this.call.service(), this.call.method(), "Reply frame of " + this.call
					+ " has none of body, __end__ or __except__: " + io.farine.service.JsonCodec.truncate(frame), null));
		}
	}

	void fail(RpcException error) {
		if (finish()) {
			this.listener.error(error);
		}
	}

	/** Fails the call now, telling its listener on the callbacks executor. */
	void failElsewhere(RpcException error) {
		if (finish()) {
			try {
				this.callbacks.execute(() -> this.listener.error(error));
			}
			catch (RuntimeException ex) {
				this.listener.error(error);
			}
		}
	}

	void cancel() {
		finish();
	}

	private boolean finish() {
		if (!this.done.compareAndSet(false, true)) {
			return false;
		}
		this.calls.remove(this.correlationId);
		StreamConsumer consumer = this.own;
		if (consumer != null) {
			// never on the consumer's own thread, which stopping it would wait for
			try {
				this.callbacks.execute(consumer::stop);
			}
			catch (RuntimeException ex) {
				consumer.stop();
			}
		}
		return true;
	}

	void timeOutIfIdle(long now) {
		if (now - this.lastFrameNanos >= this.timeoutNanos && !this.listener.backlogged()) {
			failElsewhere(new RpcTimeoutException(this.call.service(), this.call.method(), this.call.timeout(),
					this.sawItem && this.call.streaming()));
		}
	}

}
