package io.farine.execute;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.farine.autoconfigure.FarineAutoConfiguration;
import io.farine.config.FarineProperties;
import io.farine.observation.FarineObservations;
import io.farine.service.FarineService;
import io.farine.service.FarineThreads;
import io.farine.service.HandlerInvoker;
import io.farine.service.ServiceEndpoints;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskDecorator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @Execute} in a real {@code SpringApplication}, which publishes the ready event the
 * methods start on.
 */
class ExecuteIntegrationTests {

	private static ConfigurableApplicationContext start(Class<?> service, String... properties) {
		return start(App.class, service, properties);
	}

	private static ConfigurableApplicationContext start(Class<?> app, Class<?> service, String... properties) {
		return new SpringApplicationBuilder(app, service).web(WebApplicationType.NONE)
			.properties("farine.defaults.execute_restart_delay=50ms", "farine.defaults.execute_restart_max_delay=400ms",
					"farine.defaults.execute_shutdown_grace=2s")
			.properties(properties)
			.run();
	}

	@Test
	void aMethodThatReturnsRunsAgain() {
		try (ConfigurableApplicationContext context = start(Ticker.class)) {
			await().atMost(Duration.ofSeconds(5)).until(() -> context.getBean(Ticker.class).runs.get() >= 3);
			assertThat(context.getBean(Ticker.class).thread).startsWith("farine-execute-ticker-tick");
		}
	}

	@Test
	void theApplicationsTaskDecoratorWrapsTheMethodsThread() {
		try (ConfigurableApplicationContext context = start(DecoratedApp.class, Ticker.class,
				"spring.task.execution.simple.concurrency-limit=1")) {
			await().atMost(Duration.ofSeconds(5)).until(() -> context.getBean(Ticker.class).runs.get() >= 3);
			assertThat(context.getBean(Ticker.class).decorated).isTrue();
			assertThat(context.getBean(Ticker.class).thread).startsWith("farine-execute-ticker-tick");
		}
	}

	@Test
	void aMethodThatThrowsAnErrorRunsAgainToo() {
		try (ConfigurableApplicationContext context = start(Erring.class)) {
			await().atMost(Duration.ofSeconds(10)).until(() -> context.getBean(Erring.class).runs.get() >= 3);
		}
	}

	@Test
	void aMethodThatThrowsRunsAgainAfterADelayThatGrowsAndIsCapped() {
		try (ConfigurableApplicationContext context = start(RecordedApp.class, Failing.class)) {
			List<List<Long>> sequences = context.getBean(RecordingBackOff.class).sequences;
			await().atMost(Duration.ofSeconds(10)).until(() -> !sequences.isEmpty() && sequences.get(0).size() >= 6);
			assertThat(sequences.get(0).subList(0, 6)).containsExactly(50L, 100L, 200L, 400L, 400L, 400L);
			assertThat(sequences).hasSize(1);
		}
	}

	@Test
	void theDelayResetsAfterARunThatReturned() {
		try (ConfigurableApplicationContext context = start(RecordedApp.class, Flaky.class)) {
			List<Long> starts = context.getBean(Flaky.class).starts;
			List<List<Long>> sequences = context.getBean(RecordingBackOff.class).sequences;
			await().atMost(Duration.ofSeconds(10)).until(() -> starts.size() >= 6);
			// fail (50 ms), fail (100 ms), succeed (runs again at once: no delay asked), fail (50 ms again, not 200)
			assertThat(sequences).containsExactly(List.of(50L, 100L), List.of(50L, 100L));
		}
	}

	@Test
	void withoutRestartAMethodRunsOnce() {
		try (ConfigurableApplicationContext context = start(Once.class)) {
			await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
				.until(() -> context.getBean(Once.class).runs.get() == 1);
		}
	}

	@Test
	void shutdownInterruptsTheMethodAndWaitsForIt() {
		ConfigurableApplicationContext context = start(Sleeper.class);
		Sleeper sleeper = context.getBean(Sleeper.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> sleeper.sleeping);
		long start = System.nanoTime();
		context.close();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
		assertThat(sleeper.interrupted).isTrue();
		assertThat(sleeper.runs.get()).isEqualTo(1);
	}

	@Test
	void aMethodThatIgnoresTheInterruptDelaysShutdownOnlyByTheGracePeriod() {
		ConfigurableApplicationContext context = start(Stubborn.class, "farine.defaults.execute_shutdown_grace=300ms");
		Stubborn stubborn = context.getBean(Stubborn.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> stubborn.running);
		long start = System.nanoTime();
		context.close();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
		stubborn.release = true;
	}

	@Test
	void aDisabledServiceDoesNotRun() {
		try (ConfigurableApplicationContext context = start(Once.class, "farine.services.once.enabled=false")) {
			await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
				.until(() -> context.getBean(Once.class).runs.get() == 0);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ JacksonAutoConfiguration.class, FarineAutoConfiguration.class })
	static class App {

	}

	/** The application with Boot's task execution and a task decorator, which farine's threads get too. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ JacksonAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
			FarineAutoConfiguration.class })
	static class DecoratedApp {

		static final ThreadLocal<Boolean> DECORATED = ThreadLocal.withInitial(() -> false);

		@Bean
		TaskDecorator marking() {
			return (task) -> () -> {
				DECORATED.set(true);
				task.run();
			};
		}

	}

	/** The application with a restart backoff that records the delays the runner asks for. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ JacksonAutoConfiguration.class, FarineAutoConfiguration.class })
	static class RecordedApp {

		@Bean
		RecordingBackOff recordingBackOff() {
			return new RecordingBackOff();
		}

		@Bean
		ExecuteRunner farineExecuteRunner(ServiceEndpoints endpoints, FarineProperties properties,
				HandlerInvoker invoker, FarineObservations observations, FarineThreads threads,
				RecordingBackOff backOff) {
			return new ExecuteRunner(endpoints, properties, invoker, observations, threads, backOff);
		}

	}

	@FarineService("erring")
	static class Erring {

		final AtomicInteger runs = new AtomicInteger();

		@Execute
		void run() {
			this.runs.incrementAndGet();
			throw new AssertionError("an Error, not an Exception");
		}

	}

	@FarineService("ticker")
	static class Ticker {

		final AtomicInteger runs = new AtomicInteger();

		volatile String thread = "";

		volatile boolean decorated;

		@Execute
		void tick() {
			this.thread = Thread.currentThread().getName();
			this.decorated = DecoratedApp.DECORATED.get();
			this.runs.incrementAndGet();
		}

	}

	@FarineService("failing")
	static class Failing {

		final List<Long> starts = new CopyOnWriteArrayList<>();

		@Execute
		void run() {
			this.starts.add(System.nanoTime());
			throw new IllegalStateException("always");
		}

	}

	@FarineService("flaky")
	static class Flaky {

		final List<Long> starts = new CopyOnWriteArrayList<>();

		@Execute
		void run() {
			this.starts.add(System.nanoTime());
			if (this.starts.size() != 3 && this.starts.size() < 6) {
				throw new IllegalStateException("run " + this.starts.size());
			}
			if (this.starts.size() >= 6) {
				try {
					new java.util.concurrent.CountDownLatch(1).await(); // until shutdown interrupts it
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		}

	}

	@FarineService("once")
	static class Once {

		final AtomicInteger runs = new AtomicInteger();

		@Execute(restart = false)
		void run() {
			this.runs.incrementAndGet();
		}

	}

	@FarineService("sleeper")
	static class Sleeper {

		final AtomicInteger runs = new AtomicInteger();

		volatile boolean sleeping;

		volatile boolean interrupted;

		@Execute
		void run() {
			this.runs.incrementAndGet();
			this.sleeping = true;
			try {
				new java.util.concurrent.CountDownLatch(1).await(); // until shutdown interrupts it
			}
			catch (InterruptedException ex) {
				this.interrupted = true;
			}
		}

	}

	@FarineService("stubborn")
	static class Stubborn {

		volatile boolean running;

		volatile boolean release;

		@Execute(restart = false)
		void run() {
			this.running = true;
			while (!this.release) {
				Thread.onSpinWait();
			}
		}

	}

}
