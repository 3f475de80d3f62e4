package io.farine.service;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A long task on an executor's thread: stopped by an interrupt, even one that comes before its thread runs. */
class TaskThreadTests {

	@Test
	void anInterruptStopsTheTaskAndJoinWaitsForIt() {
		CountDownLatch started = new CountDownLatch(1);
		AtomicReference<String> thread = new AtomicReference<>();
		TaskThread task = new FarineThreads().start("farine-test", () -> {
			thread.set(Thread.currentThread().getName());
			started.countDown();
			FarineThreads.pause(Duration.ofMinutes(5));
		});
		awaitQuietly(started);
		assertThat(task.isAlive()).isTrue();
		task.interrupt();
		assertThat(task.join(Duration.ofSeconds(10))).isTrue();
		assertThat(task.isAlive()).isFalse();
		assertThat(thread.get()).isEqualTo("farine-test-1");
	}

	@Test
	void anInterruptBeforeTheThreadRunsReachesTheTask() {
		AtomicReference<Runnable> held = new AtomicReference<>();
		AtomicBoolean interrupted = new AtomicBoolean();
		TaskThread task = TaskThread.start(held::set, () -> interrupted.set(Thread.currentThread().isInterrupted()));
		task.interrupt();
		Thread late = new Thread(held.get());
		late.start();
		assertThat(task.join(Duration.ofSeconds(10))).isTrue();
		assertThat(interrupted).isTrue();
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
