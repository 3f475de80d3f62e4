package io.farine.registry;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.farine.service.FarineThreads;

import org.springframework.core.retry.RetryPolicy;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.backoff.BackOffExecution;

/**
 * The registry's one thread: every etcd callback, retry and watch event of the registry runs
 * here, one at a time, so the lease keeper and the cache never race. Tasks given after the
 * registry stopped are refused quietly. Retries wait as Spring's {@link RetryPolicy} says:
 * {@value #FIRST_RETRY_MILLIS} ms, doubling, at most {@value #MAX_RETRY_MILLIS} ms.
 */
final class RegistryTasks implements InstanceWatch.Tasks {

	static final long FIRST_RETRY_MILLIS = 250;

	static final long MAX_RETRY_MILLIS = 2000;

	private static final Log logger = LogFactory.getLog(RegistryTasks.class);

	private static final RetryPolicy RETRIES = RetryPolicy.builder()
		.maxRetries(Long.MAX_VALUE)
		.delay(Duration.ofMillis(FIRST_RETRY_MILLIS))
		.multiplier(2)
		.maxDelay(Duration.ofMillis(MAX_RETRY_MILLIS))
		.build();

	private final ScheduledExecutorService executor;

	RegistryTasks(FarineThreads threads) {
		ThreadPoolTaskScheduler scheduler = threads.scheduler("farine-registry");
		scheduler.initialize();
		this.executor = scheduler.getScheduledExecutor();
	}

	/**
	 * The waits between the attempts of one thing tried again until it works.
	 * @return a fresh sequence of waits
	 */
	static BackOffExecution retries() {
		return RETRIES.getBackOff().start();
	}

	@Override
	public void execute(Runnable task) {
		if (!this.executor.isShutdown()) {
			try {
				this.executor.execute(task);
			}
			catch (RuntimeException ex) {
				logger.debug("Registry task refused during shutdown", ex);
			}
		}
	}

	@Override
	public void schedule(Runnable task, long delayMillis) {
		if (!this.executor.isShutdown()) {
			try {
				this.executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
			}
			catch (RuntimeException ex) {
				logger.debug("Registry task refused during shutdown", ex);
			}
		}
	}

	/**
	 * Stops taking tasks and waits for the one running to end (or be interrupted).
	 * @param wait how long to wait
	 */
	void shutdown(Duration wait) {
		this.executor.shutdownNow();
		try {
			this.executor.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
