package io.farine.execute;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.farine.config.FarineProperties;
import io.farine.config.ServiceSettings;
import io.farine.observation.FarineObservations;
import io.farine.service.ArgumentResolver;
import io.farine.service.ExecuteEndpoint;
import io.farine.service.FarinePhases;
import io.farine.service.FarineThreads;
import io.farine.service.HandlerException;
import io.farine.service.HandlerInvoker;
import io.farine.service.ServiceEndpoints;
import io.farine.service.TaskThread;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Runs the {@code @Execute} methods of the services that run, each on its own thread, from the
 * moment the application is ready; restarts them as they ask; interrupts and awaits them on
 * shutdown.
 */
final class ExecuteRunner implements ExecuteMethods, ApplicationListener<ApplicationReadyEvent>, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ExecuteRunner.class);

	private final ServiceEndpoints endpoints;

	private final FarineProperties properties;

	private final HandlerInvoker invoker;

	private final FarineObservations observations;

	private final FarineThreads threads;

	private final Function<ServiceSettings, BackOff> restartBackOff;

	private final List<Execution> executions = new ArrayList<>();

	private volatile boolean running;

	/**
	 * Creates the runner.
	 * @param endpoints the discovered endpoints
	 * @param properties the configuration
	 * @param invoker calls the methods
	 * @param observations observes each run
	 * @param threads makes the thread of each method
	 * @param restartBackOff the pauses before a method that failed runs again, by its service's
	 * settings ({@link #restartBackOff(ServiceSettings)}); a sequence starts at each first failure
	 */
	ExecuteRunner(ServiceEndpoints endpoints, FarineProperties properties, HandlerInvoker invoker,
			FarineObservations observations, FarineThreads threads,
			Function<ServiceSettings, BackOff> restartBackOff) {
		this.observations = observations;
		this.threads = threads;
		this.restartBackOff = restartBackOff;
		this.endpoints = endpoints;
		this.properties = properties;
		this.invoker = invoker;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public synchronized void onApplicationEvent(ApplicationReadyEvent event) {
		if (!this.running || !this.executions.isEmpty()) {
			return;
		}
		for (ExecuteEndpoint endpoint : this.endpoints.runningExecuteMethods()) {
			Execution execution = new Execution(endpoint, this.properties.service(endpoint.service()));
			execution.start();
			this.executions.add(execution);
		}
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		this.executions.forEach(Execution::interrupt);
		this.executions.forEach(Execution::await);
		this.executions.clear();
	}

	@Override
	public synchronized List<ExecuteState> methods() {
		return this.executions.stream().map(Execution::state).toList();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return FarinePhases.INTAKE;
	}

	/**
	 * The pauses before a method that failed runs again: {@code execute_restart_delay}, doubling
	 * up to {@code execute_restart_max_delay}.
	 * @param settings the method's service's settings
	 * @return the backoff
	 */
	static BackOff restartBackOff(ServiceSettings settings) {
		long first = settings.executeRestartDelay().toMillis();
		ExponentialBackOff backOff = new ExponentialBackOff(first, 2.0);
		backOff.setMaxInterval(Math.max(first, settings.executeRestartMaxDelay().toMillis()));
		return backOff;
	}

	/** One {@code @Execute} method and its thread. */
	private final class Execution implements Runnable {

		private final ExecuteEndpoint endpoint;

		private final ServiceSettings settings;

		private volatile boolean stopping;

		private @Nullable TaskThread thread;

		private final java.util.concurrent.atomic.AtomicLong runs = new java.util.concurrent.atomic.AtomicLong();

		private final java.util.concurrent.atomic.AtomicLong failed = new java.util.concurrent.atomic.AtomicLong();

		Execution(ExecuteEndpoint endpoint, ServiceSettings settings) {
			this.endpoint = endpoint;
			this.settings = settings;
		}

		void start() {
			this.thread = ExecuteRunner.this.threads.start("farine-execute-" + this.endpoint.service() + "-"
					+ this.endpoint.handler().method().getName(), this);
		}

		@Override
		public void run() {
			int failures = 0;
			BackOffExecution backOff = null;
			do {
				this.runs.incrementAndGet();
				try {
					ExecuteRunner.this.invoker.invoke(this.endpoint.handler(),
							ExecuteRunner.this.observations.execute(this.endpoint.service(),
									this.endpoint.handler().method().getName()),
							ArgumentResolver.NONE, null);
					failures = 0;
					backOff = null;
				}
				catch (HandlerException failure) {
					Throwable ex = failure.getCause();
					if (ex instanceof InterruptedException || this.stopping) {
						break;
					}
					failures++;
					this.failed.incrementAndGet();
					if (!this.endpoint.restart()) {
						logger.error(this.endpoint.handler() + " failed (" + failures + " time(s) in a row)", ex);
						break;
					}
					if (backOff == null) {
						backOff = ExecuteRunner.this.restartBackOff.apply(this.settings).start();
					}
					long delay = backOff.nextBackOff();
					if (delay == BackOffExecution.STOP) {
						logger.error(this.endpoint.handler() + " failed (" + failures + " time(s) in a row); "
								+ "its backoff gives up, it does not run again", ex);
						break;
					}
					logger.error(this.endpoint.handler() + " failed (" + failures + " time(s) in a row); running it "
							+ "again in " + delay + " ms", ex);
					if (!FarineThreads.pause(Duration.ofMillis(delay)) || this.stopping) {
						break;
					}
				}
			}
			while (this.endpoint.restart() && !this.stopping && !Thread.currentThread().isInterrupted());
		}

		ExecuteState state() {
			TaskThread current = this.thread;
			return new ExecuteState(this.endpoint.handler().description(), this.endpoint.restart(),
					current != null && current.isAlive(), this.runs.get(), this.failed.get());
		}

		void interrupt() {
			this.stopping = true;
			TaskThread current = this.thread;
			if (current != null) {
				current.interrupt();
			}
		}

		void await() {
			TaskThread current = this.thread;
			if (current == null) {
				return;
			}
			Duration grace = this.settings.executeShutdownGrace();
			if (!current.join(grace)) {
				logger.warn("@Execute method " + this.endpoint.handler() + " of service '" + this.endpoint.service()
						+ "' did not stop within " + grace.toMillis() + " ms of being interrupted; shutdown goes on "
						+ "without it. Let it return when its thread is interrupted.");
			}
		}

	}

}
