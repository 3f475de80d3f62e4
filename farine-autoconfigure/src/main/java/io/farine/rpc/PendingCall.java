package io.farine.rpc;

import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;

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

	/** What the caller reads items as: the reply queue reads each frame straight into it. */
	JavaType itemType() {
		return this.listener.itemType();
	}

	void frame(ReplyFrame frame, @Nullable String exceptionType) {
		this.lastFrameNanos = System.nanoTime();
		if (frame.error() != null) {
			if (finish()) {
				this.listener.error(RpcFrames.remoteError(this.call.service(), this.call.method(), frame.error(),
						exceptionType));
			}
			return;
		}
		for (Object item : frame.items()) {
			if (this.done.get()) {
				return;
			}
			this.sawItem = true;
			// may wait for a slow reader of a stream; the wait is not idleness
			this.listener.item(item);
			this.lastFrameNanos = System.nanoTime();
		}
		if (frame.failure() != null) {
			fail(frame.failure());
		}
		else if (frame.end() && finish()) {
			this.listener.end();
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
