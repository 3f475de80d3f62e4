package io.farine.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * The service under test, {@code users} of the database sample, as its own JVM: started with
 * {@code FARINE_INI} pointing at the run's file, its output in {@code service-<n>.log} of the run
 * directory, killed with SIGKILL by a fault and started again. A watchdog starts it again when it
 * ends by itself, and counts that: a service that stops when a server fails is a finding too.
 */
final class ServiceProcess implements AutoCloseable {

	private static final String STARTED = "Started DatabaseApplication";

	private final List<String> command;

	private final Path ini;

	private final Path directory;

	private final Thread watchdog = new Thread(this::watch, "chaos-service-watchdog");

	private @Nullable Process process;

	private @Nullable Path log;

	private int starts;

	private int unexpectedExits;

	private boolean closed;

	/**
	 * @param launcher how to start the JVM: {@code -jar <exec jar>}, or {@code -cp <classpath>
	 * io.farine.samples.database.DatabaseApplication}
	 */
	ServiceProcess(List<String> launcher, Path ini, Path directory) {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx384m", "-XX:+ExitOnOutOfMemoryError"));
		command.addAll(launcher);
		// the service's connection names (farine:chaos-users), and real servers only: never farine-dev's stand-ins
		command.addAll(List.of("--spring.application.name=chaos-users", "--farine.dev.enabled=false"));
		this.command = command;
		this.ini = ini;
		this.directory = directory;
		this.watchdog.setDaemon(true);
	}

	/**
	 * Starts the service and waits until it has started (its consumers run). A start that fails
	 * (the service exits, or does not start within the limit) is counted and tried again, three
	 * times at most.
	 */
	void start(Duration limit) throws IOException, InterruptedException {
		for (int attempt = 1;; attempt++) {
			Path log = launch();
			if (awaitStarted(log, limit)) {
				break;
			}
			if (isClosed()) {
				throw new IOException("The run is stopping; the service is not started again");
			}
			synchronized (this) {
				this.unexpectedExits++;
			}
			kill();
			if (attempt == 3) {
				throw new IOException("The service did not start three times; see " + log);
			}
			System.out.println("  the service did not start (see " + log + "); starting it again");
		}
		if (!this.watchdog.isAlive()) {
			this.watchdog.start();
		}
	}

	private boolean awaitStarted(Path log, Duration limit) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + limit.toNanos();
		while (!new String(Files.readAllBytes(log), StandardCharsets.UTF_8).contains(STARTED)) {
			Process current;
			synchronized (this) {
				current = this.process;
			}
			if (current == null || !current.isAlive() || System.nanoTime() > deadline) {
				return false;
			}
			Thread.sleep(100);
		}
		return true;
	}

	private synchronized Path launch() throws IOException {
		if (this.closed) {
			// the run is stopping: a start now would leave a service behind
			throw new IOException("The run is stopping; the service is not started again");
		}
		this.starts++;
		Path log = this.directory.resolve("service-" + this.starts + ".log");
		ProcessBuilder builder = new ProcessBuilder(this.command).redirectErrorStream(true).redirectOutput(log.toFile());
		builder.environment().put("FARINE_INI", this.ini.toString());
		this.process = builder.start();
		this.log = log;
		return log;
	}

	/** Kills the service with SIGKILL, as a crash would, and waits until it is gone. */
	void kill() throws InterruptedException {
		Process current;
		synchronized (this) {
			current = this.process;
			this.process = null;
		}
		if (current != null) {
			current.destroyForcibly();
			current.waitFor(30, TimeUnit.SECONDS);
		}
	}

	/** Starts the service again when it ended by itself. */
	private void watch() {
		while (true) {
			try {
				Thread.sleep(1000);
				Process ended = null;
				synchronized (this) {
					if (this.closed) {
						return;
					}
					if (this.process != null && !this.process.isAlive()) {
						ended = this.process;
						this.unexpectedExits++;
					}
				}
				if (ended != null) {
					System.out.printf("  the service exited by itself (status %d, see %s); starting it again%n",
							ended.exitValue(), this.log);
					start(Duration.ofMinutes(3));
				}
			}
			catch (InterruptedException ex) {
				return;
			}
			catch (IOException ex) {
				System.out.println("  the service could not be started again: " + ex.getMessage());
			}
		}
	}

	private synchronized boolean isClosed() {
		return this.closed;
	}

	/** Starts of the service, the first one included. */
	synchronized int starts() {
		return this.starts;
	}

	/** Times the service ended without being killed by a fault. */
	synchronized int unexpectedExits() {
		return this.unexpectedExits;
	}

	/** Stops the service as a deployment would (SIGTERM), or kills it when it takes more than 30 s. */
	@Override
	public void close() throws InterruptedException {
		Process current;
		synchronized (this) {
			this.closed = true;
			current = this.process;
			this.process = null;
		}
		this.watchdog.interrupt();
		if (current != null) {
			current.destroy();
			if (!current.waitFor(30, TimeUnit.SECONDS)) {
				current.destroyForcibly();
				current.waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

}
