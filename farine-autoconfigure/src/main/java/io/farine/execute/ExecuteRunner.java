package io.farine.execute;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.farine.config.FarineProperties;
import io.farine.config.ServiceSettings;
import io.farine.observation.FarineObservations;
import io.farine.service.ArgumentResolver;
import io.farine.service.ExecuteEndpoint;
import io.farine.service.HandlerException;
import io.farine.service.HandlerInvoker;
import io.farine.service.ServiceEndpoints;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the {@code @Execute} methods of the services that run, each on its own thread, from the
 * moment the application is ready; restarts them as they ask; interrupts and awaits them on
 * shutdown.
 */
public final class ExecuteRunner implements ApplicationListener<ApplicationReadyEvent>, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ExecuteRunner.class);

	private final ServiceEndpoints endpoints;

	private final FarineProperties properties;

	private final HandlerInvoker invoker;

	private final FarineObservations observations;

	private final List<Execution> executions = new ArrayList<>();

	private volatile boolean running;

	/**
	 * Creates the runner.
	 * @param endpoints the discovered endpoints
	 * @param properties the configuration
	 * @param invoker calls the methods
	 * @param observations observes each run
	 */
	public ExecuteRunner(ServiceEndpoints endpoints, FarineProperties properties, HandlerInvoker invoker,
			FarineObservations observations) {
		this.observations = observations;
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

	/**
	 * What each {@code @Execute} method is doing.
	 * @return one state per method started
	 */
	public synchronized List<ExecuteState> methods() {
		return this.executions.stream().map(Execution::state).toList();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return io.farine.amqp.AmqpRuntime.PHASE;
	}

	/** One {@code @Execute} method and its thread. */
	private final class Execution implements Runnable {

		private final ExecuteEndpoint endpoint;

		private final ServiceSettings settings;

		private volatile boolean stopping;

		private @Nullable Thread thread;

		private final java.util.concurrent.atomic.AtomicLong runs = new java.util.concurrent.atomic.AtomicLong();

		private final java.util.concurrent.atomic.AtomicLong failed = new java.util.concurrent.atomic.AtomicLong();

		Execution(ExecuteEndpoint endpoint, ServiceSettings settings) {
			this.endpoint = endpoint;
			this.settings = settings;
		}

		void start() {
			Thread started = newThread(this, "farine-execute-" + this.endpoint.service() + "-"
					+ this.endpoint.handler().method().getName());
			this.thread = started;
		}

		@Override
		public void run() {
			int failures = 0;
			do {
				this.runs.incrementAndGet();
				try {
					ExecuteRunner.this.invoker.invoke(this.endpoint.handler(),
							ExecuteRunner.this.observations.execute(this.endpoint.service(),
									this.endpoint.handler().method().getName()),
							ArgumentResolver.NONE, null);
					failures = 0;
				}
				catch (HandlerException failure) {
					Throwable ex = failure.getCause();
					if (ex instanceof InterruptedException || this.stopping) {
						break;
					}
					failures++;
					this.failed.incrementAndGet();
					Duration delay = delay(failures);
					logger.error(this.endpoint.handler() + " failed (" + failures + " time(s) in a row)"
							+ (this.endpoint.restart() ? "; running it again in " + delay.toMillis() + " ms" : ""), ex);
					if (this.endpoint.restart() && !pause(delay)) {
						break;
					}
				}
			}
			while (this.endpoint.restart() && !this.stopping && !Thread.currentThread().isInterrupted());
		}

		ExecuteState state() {
			Thread current = this.thread;
			return new ExecuteState(this.endpoint.handler().description(), this.endpoint.restart(),
					current != null && current.isAlive(), this.runs.get(), this.failed.get());
		}

		private Duration delay(int failures) {
			long first = this.settings.executeRestartDelay().toMillis();
			long cap = Math.max(first, this.settings.executeRestartMaxDelay().toMillis());
			return Duration.ofMillis(Math.min(cap, first << Math.min(failures - 1, 20)));
		}

		private boolean pause(Duration delay) {
			try {
				TimeUnit.MILLISECONDS.sleep(delay.toMillis());
				return !this.stopping;
			}
			catch (InterruptedException ex) {
				return false;
			}
		}

		void interrupt() {
			this.stopping = true;
			Thread current = this.thread;
			if (current != null) {
				current.interrupt();
			}
		}

		void await() {
			Thread current = this.thread;
			if (current == null) {
				return;
			}
			Duration grace = this.settings.executeShutdownGrace();
			try {
				current.join(grace.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			if (current.isAlive()) {
				logger.warn("@Execute method " + this.endpoint.handler() + " of service '" + this.endpoint.service()
						+ "' did not stop within " + grace.toMillis() + " ms of being interrupted; shutdown goes on "
						+ "without it. Let it return when its thread is interrupted.");
			}
		}

	}

	/**
	 * Starts a thread for a method: a virtual thread where the JVM has them (Java 21+), else a
	 * daemon platform thread with the given name.
	 */
	static Thread newThread(Runnable task, String name) {
		try {
			// Thread.ofVirtual().name(name).start(task), through the public Thread.Builder interface
			Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
			Class<?> builderType = Class.forName("java.lang.Thread$Builder");
			builder = builderType.getMethod("name", String.class).invoke(builder, name);
			return (Thread) builderType.getMethod("start", Runnable.class).invoke(builder, task);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			Thread thread = new Thread(task, name);
			thread.setDaemon(true);
			thread.start();
			return thread;
		}
	}

}
