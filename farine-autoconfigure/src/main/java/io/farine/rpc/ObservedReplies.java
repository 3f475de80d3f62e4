package io.farine.rpc;

import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;

/**
 * A reply listener that stops the observation of its RPC call when the reply ends, fails or is
 * cancelled, whichever comes first, then hands every frame on.
 */
final class ObservedReplies implements RpcTransport.ReplyListener {

	private final RpcTransport.ReplyListener delegate;

	private final Observation observation;

	private final AtomicBoolean stopped = new AtomicBoolean();

	ObservedReplies(RpcTransport.ReplyListener delegate, Observation observation) {
		this.delegate = delegate;
		this.observation = observation;
	}

	@Override
	public JavaType itemType() {
		return this.delegate.itemType();
	}

	@Override
	public void item(@Nullable Object item) {
		this.delegate.item(item);
	}

	@Override
	public void end() {
		stop(null);
		this.delegate.end();
	}

	@Override
	public void error(RpcException error) {
		stop(error);
		this.delegate.error(error);
	}

	@Override
	public boolean streamed() {
		return this.delegate.streamed();
	}

	@Override
	public boolean backlogged() {
		return this.delegate.backlogged();
	}

	/** The caller cancelled the call (closed its stream, cancelled its future). */
	void cancelled() {
		stop(null);
	}

	private void stop(@Nullable Throwable error) {
		if (this.stopped.compareAndSet(false, true)) {
			if (error != null) {
				this.observation.error(error);
			}
			this.observation.stop();
		}
	}

}
