package io.farine.rpc;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.json.JsonMapper;

import io.farine.service.JsonCodec;

/** Records the calls clients make and lets a test answer them frame by frame. No broker. */
final class TestRpcTransport implements RpcTransport {

	final BlockingQueue<Sent> sent = new LinkedBlockingQueue<>();

	private final List<Sent> answered = new java.util.concurrent.CopyOnWriteArrayList<>();

	@Override
	public Runnable send(Call call, ReplyListener listener) {
		PendingCall pending = new PendingCall("test", call, listener, null, new ConcurrentHashMap<>(), Runnable::run);
		Sent sent = new Sent(call, listener, new java.util.concurrent.atomic.AtomicBoolean(), pending);
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

	record Sent(Call call, ReplyListener listener, java.util.concurrent.atomic.AtomicBoolean cancelled,
			PendingCall pending) {

		private static final JsonCodec CODEC = new JsonCodec(new JsonMapper());

		/** Answers with a reply frame, read as the AMQP transport reads it. */
		void frame(String json) {
			this.pending.frame(ReplyFrame.read(json.getBytes(StandardCharsets.UTF_8), this.listener.itemType(), CODEC,
					this.call), null);
		}

		/** Answers with an item frame carrying this JSON. */
		void item(String json) {
			frame("{\"body\": " + json + ", \"__end__\": false}");
		}

	}

}
