package io.farine.service;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.core.task.TaskExecutor;

/**
 * A long task on a thread of an executor ({@link FarineThreads}), such as an {@code @Execute}
 * method or an SSE listener's reading loop: the handle that stops it on shutdown, an interrupt,
 * and waits for it, up to a grace period.
 * <p>
 * Not part of farine's API: public because the execute, sse and outbox packages run their long
 * tasks on it.
 */
public final class TaskThread {

	private final CountDownLatch ended = new CountDownLatch(1);

	private volatile @Nullable Thread thread;

	private volatile boolean interrupted;

	private TaskThread() {
	}

	static TaskThread start(TaskExecutor executor, Runnable task) {
		TaskThread started = new TaskThread();
		executor.execute(() -> started.run(task));
		return started;
	}

	private void run(Runnable task) {
		this.thread = Thread.currentThread();
		try {
			if (this.interrupted) {
				// interrupted before its thread started: as a started thread would be
				Thread.currentThread().interrupt();
			}
			task.run();
		}
		finally {
			this.thread = null;
			this.ended.countDown();
		}
	}

	/** Interrupts the task's thread, at once or as soon as it starts. */
	public void interrupt() {
		this.interrupted = true;
		Thread current = this.thread;
		if (current != null) {
			current.interrupt();
		}
	}

	/**
	 * Waits for the task to end.
	 * @param grace the longest wait
	 * @return whether it ended
	 */
	public boolean join(Duration grace) {
		try {
			return this.ended.await(grace.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return this.ended.getCount() == 0;
		}
	}

	/**
	 * Whether the task runs, or waits for its thread.
	 * @return {@code false} once it ended
	 */
	public boolean isAlive() {
		return this.ended.getCount() > 0;
	}

}
