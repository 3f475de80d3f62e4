package io.farine.rpc;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records the calls clients make and lets a test answer them frame by frame. No broker. */
final class TestRpcTransport implements RpcTransport {

	final BlockingQueue<Sent> sent = new LinkedBlockingQueue<>();

	private final List<Sent> answered = new java.util.concurrent.CopyOnWriteArrayList<>();

	@Override
	public Runnable send(Call call, ReplyListener listener) {
		Sent sent = new Sent(call, listener, new java.util.concurrent.atomic.AtomicBoolean());
		this.sent.add(sent);
		this.answered.add(sent);
		return () -> sent.cancelled().set(true);
	}

	/** The next call a client made, waiting up to 5 s for it. */
	Sent next() throws InterruptedException {
		Sent next = this.sent.poll(5, TimeUnit.SECONDS);
		if (next == null) {
			throw new AssertionError("No call was sent");
		}
		return next;
	}

	record Sent(Call call, ReplyListener listener, java.util.concurrent.atomic.AtomicBoolean cancelled) {
	}

}
