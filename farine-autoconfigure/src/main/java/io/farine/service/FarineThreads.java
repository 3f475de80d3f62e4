package io.farine.service;

import java.time.Duration;

import org.springframework.boot.task.SimpleAsyncTaskExecutorBuilder;
import org.springframework.boot.task.ThreadPoolTaskSchedulerBuilder;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Makes the threads of farine's long tasks ({@code @Execute} methods, SSE listeners, the outbox
 * relay) and timers (RPC timeouts, the registry, the inbox purge) from the application's Spring
 * Boot builders when it has them: {@code spring.threads.virtual.enabled} and the application's task
 * decorators then apply to farine's threads as to its own. Each thread is named
 * {@code farine-<what>-<n>}; a concurrency limit set for the application's tasks does not apply
 * (a farine task runs for as long as the application, and one held back would never start). The
 * pools on the message path (the AMQP client's dispatch threads, RPC callbacks and batches, the
 * publisher's reconnection) reuse their threads and are made where they are used.
 * <p>
 * Not part of farine's API: public because every capability makes its long-lived threads with it.
 */
public final class FarineThreads {

	private final SimpleAsyncTaskExecutorBuilder executors;

	private final ThreadPoolTaskSchedulerBuilder schedulers;

	/**
	 * Makes threads with Spring Boot's builders.
	 * @param executors the application's builder, or a plain one
	 * @param schedulers the application's builder, or a plain one
	 */
	public FarineThreads(SimpleAsyncTaskExecutorBuilder executors, ThreadPoolTaskSchedulerBuilder schedulers) {
		this.executors = executors.concurrencyLimit(null).rejectTasksWhenLimitReached(false);
		this.schedulers = schedulers;
	}

	/** Makes platform threads with plain builders: for tests and code outside an application. */
	public FarineThreads() {
		this(new SimpleAsyncTaskExecutorBuilder(), new ThreadPoolTaskSchedulerBuilder());
	}

	/**
	 * An executor that starts a daemon thread per task.
	 * @param name what the threads do: they are named {@code <name>-<n>}
	 * @return the executor
	 */
	public SimpleAsyncTaskExecutor executor(String name) {
		SimpleAsyncTaskExecutor executor = this.executors.threadNamePrefix(name + "-").build();
		executor.setDaemon(true);
		return executor;
	}

	/**
	 * A scheduler with one daemon thread, to initialize (once configured further) and to shut down.
	 * @param name what the thread does: it is named {@code <name>-1}
	 * @return the scheduler
	 */
	public ThreadPoolTaskScheduler scheduler(String name) {
		ThreadPoolTaskScheduler scheduler = this.schedulers.poolSize(1).threadNamePrefix(name + "-").build();
		scheduler.setDaemon(true);
		return scheduler;
	}

	/**
	 * Starts a task that runs until it is interrupted, on a thread of its own.
	 * @param name what the task does: its thread is named {@code <name>-<n>}
	 * @param task the task
	 * @return the running task
	 */
	public TaskThread start(String name, Runnable task) {
		return TaskThread.start(executor(name), task);
	}

	/**
	 * Waits on a task thread: the pause a backoff asked for.
	 * @param pause how long
	 * @return {@code true} after the pause, {@code false} once the thread is interrupted (it is to stop)
	 */
	public static boolean pause(Duration pause) {
		try {
			Thread.sleep(pause.toMillis());
			return true;
		}
		catch (InterruptedException ex) {
			return false;
		}
	}

}
