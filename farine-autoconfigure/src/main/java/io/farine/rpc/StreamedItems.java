package io.farine.rpc;

import java.util.ArrayDeque;
import java.util.NoSuchElementException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;

/**
 * The items of a streaming reply on their way from the thread that reads them off the broker to
 * the one caller that takes them, at most {@link #CAPACITY} at a time: when the caller reads more
 * slowly than the server produces, {@link #item} waits, which stops its reply consumer
 * acknowledging, and the broker keeps the rest (the consumer's prefetch bounds what is in flight).
 * Memory in the client stays bounded whatever the stream's length. The end or an error never
 * waits: it is seen after the items before it. {@link #close()} drops what is buffered and wakes
 * both sides.
 */
final class StreamedItems implements RpcTransport.ReplyListener {

	/** How many items wait for the caller at most; also the prefetch of a stream's reply consumer. */
	static final int CAPACITY = 256;

	private static final Object END = new Object();

	/** Stands for a null item in the queue, which holds no nulls. */
	private static final Object NULL = new Object();

	private final RpcTransport.Call call;

	private final JavaType itemType;

	private final int capacity;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition notEmpty = this.lock.newCondition();

	private final Condition notFull = this.lock.newCondition();

	private final ArrayDeque<Object> items = new ArrayDeque<>();

	/** {@link #END} or the {@link RpcException} that ended the reply, once known. */
	private @Nullable Object last;

	private boolean closed;

	/** The item, end or error {@link #hasNext()} saw and {@link #next()} has not taken yet. */
	private @Nullable Object next;

	StreamedItems(RpcTransport.Call call, JavaType itemType) {
		this(call, itemType, CAPACITY);
	}

	StreamedItems(RpcTransport.Call call, JavaType itemType, int capacity) {
		this.call = call;
		this.itemType = itemType;
		this.capacity = capacity;
	}

	@Override
	public JavaType itemType() {
		return this.itemType;
	}

	@Override
	public boolean streamed() {
		return true;
	}

	/** Adds an item, waiting while {@link #CAPACITY} wait for the caller; dropped once closed. */
	@Override
	public void item(@Nullable Object item) {
		this.lock.lock();
		try {
			while (this.items.size() >= this.capacity && !this.closed) {
				this.notFull.await();
			}
			if (!this.closed) {
				this.items.add((item != null) ? item : NULL);
				this.notEmpty.signal();
			}
		}
		catch (InterruptedException ex) {
			// the reply consumer is stopping: the call is being torn down
			Thread.currentThread().interrupt();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void end() {
		finish(END);
	}

	@Override
	public void error(RpcException error) {
		finish(error);
	}

	private void finish(Object how) {
		this.lock.lock();
		try {
			if (this.last == null) {
				this.last = how;
			}
			this.notEmpty.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Whether items wait for the caller: the reply is not idle, its reader is. */
	@Override
	public boolean backlogged() {
		this.lock.lock();
		try {
			return !this.items.isEmpty();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Drops the buffered items and ends the stream; a producer or reader waiting wakes up. */
	void close() {
		this.lock.lock();
		try {
			this.closed = true;
			this.items.clear();
			if (this.last == null) {
				this.last = END;
			}
			this.notFull.signalAll();
			this.notEmpty.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	boolean hasNext() {
		if (this.next == null) {
			this.lock.lock();
			try {
				while (this.next == null) {
					Object item = this.items.poll();
					if (item != null) {
						this.next = item;
						this.notFull.signal();
					}
					else if (this.last != null) {
						this.next = this.last;
					}
					else {
						this.notEmpty.await();
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new RpcException(this.call.service(), this.call.method(),
						"Interrupted while waiting for the next item of " + this.call, ex);
			}
			finally {
				this.lock.unlock();
			}
		}
		if (this.next instanceof RpcException error) {
			throw error;
		}
		return this.next != END;
	}

	@Nullable Object next() {
		if (!hasNext()) {
			throw new NoSuchElementException("The reply of " + this.call + " has no more items");
		}
		Object item = this.next;
		this.next = null;
		return (item != NULL) ? item : null;
	}

}
