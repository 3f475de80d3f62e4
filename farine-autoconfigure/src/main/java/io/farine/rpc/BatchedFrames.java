package io.farine.rpc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Sends the items of a stream to a farine caller that asked for batches: what is ready goes out
 * in one frame, {@code {"__items__": [...], "__end__": false}}, at most {@value #MAX_ITEMS} items
 * or {@value #MAX_BYTES} bytes. Items are handed over as they are made and sent by one task on an
 * executor, so an item never waits for more: a batch holds what piled up while the previous frame
 * was being sent. At most {@value #MAX_QUEUED} items wait; the producer waits beyond that. The
 * last frame (the end, or an error) goes after every item, and {@link #finish} returns once it is
 * sent. Python callers never ask for batches.
 */
final class BatchedFrames {

	static final int MAX_ITEMS = 64;

	static final int MAX_BYTES = 64 * 1024;

	static final int MAX_QUEUED = 1024;

	private static final byte[] HEAD = "{\"__items__\":[".getBytes(StandardCharsets.UTF_8);

	private static final byte[] TAIL = "],\"__end__\":false}".getBytes(StandardCharsets.UTF_8);

	private final Consumer<byte[]> publish;

	private final Executor executor;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition notFull = this.lock.newCondition();

	private final Condition drained = this.lock.newCondition();

	private final ArrayDeque<byte[]> items = new ArrayDeque<>();

	/** Sends the frame that ends the reply, once every item is sent. */
	private @Nullable Runnable last;

	private boolean draining;

	private boolean dropped;

	/**
	 * Creates the batcher of one reply.
	 * @param publish sends one frame
	 * @param executor runs the sending task
	 */
	BatchedFrames(Consumer<byte[]> publish, Executor executor) {
		this.publish = publish;
		this.executor = executor;
	}

	/**
	 * Hands over one item, as JSON; waits while {@value #MAX_QUEUED} wait to be sent.
	 * @param json the item's JSON
	 * @throws InterruptedException if interrupted while waiting
	 */
	void add(byte[] json) throws InterruptedException {
		this.lock.lock();
		try {
			while (this.items.size() >= MAX_QUEUED && !this.dropped) {
				this.notFull.await();
			}
			if (this.dropped) {
				return;
			}
			this.items.add(json);
			startDraining();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Sends a last frame after every item, and waits until it was sent.
	 * @param sendLast sends the end frame or an error frame
	 * @throws InterruptedException if interrupted while waiting
	 */
	void finish(Runnable sendLast) throws InterruptedException {
		this.lock.lock();
		try {
			this.last = sendLast;
			startDraining();
			while (this.draining) {
				this.drained.await();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Drops what waits: the caller went away. */
	void drop() {
		this.lock.lock();
		try {
			this.dropped = true;
			this.items.clear();
			this.notFull.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void startDraining() {
		if (!this.draining) {
			this.draining = true;
			this.executor.execute(this::drain);
		}
	}

	private void drain() {
		while (true) {
			byte[] frame;
			Runnable sendLast = null;
			this.lock.lock();
			try {
				frame = nextBatch();
				if (frame == null) {
					sendLast = this.last;
					this.last = null;
					if (sendLast == null) {
						this.draining = false;
						this.drained.signalAll();
						return;
					}
				}
			}
			finally {
				this.lock.unlock();
			}
			try {
				if (frame != null) {
					this.publish.accept(frame);
				}
				else {
					sendLast.run();
				}
			}
			catch (RuntimeException ex) {
				// the sender logs; what waits cannot be sent either
				drop();
			}
		}
	}

	/** The next batch to send, under the lock, if items wait. */
	private byte @Nullable [] nextBatch() {
		if (!this.items.isEmpty()) {
			ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
			out.writeBytes(HEAD);
			int count = 0;
			while (!this.items.isEmpty() && count < MAX_ITEMS && (count == 0 || out.size() + this.items.peek().length < MAX_BYTES)) {
				if (count > 0) {
					out.write(',');
				}
				out.writeBytes(this.items.poll());
				count++;
			}
			out.writeBytes(TAIL);
			this.notFull.signalAll();
			return out.toByteArray();
		}
		return null;
	}

}
