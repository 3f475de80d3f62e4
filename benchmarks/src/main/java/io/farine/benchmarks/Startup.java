package io.farine.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.farine.benchmarks.apps.FarineStartupApplication;
import io.farine.benchmarks.apps.PlainBootStartupApplication;

/**
 * Scenario 5: each application started in its own JVM, alternating, several times: the time from
 * launching the JVM to its {@code ApplicationReadyEvent}, and its resident memory then.
 */
final class Startup {

	static final String SCENARIO = "startup";

	private Startup() {
	}

	/** A subject: which application, against which broker. */
	private record Subject(String name, Class<?> application, boolean embeddedBroker) {
	}

	static void run(Settings settings, Results results) throws Exception {
		List<Subject> subjects = List.of(new Subject("farine", FarineStartupApplication.class, false),
				new Subject("plain-boot", PlainBootStartupApplication.class, false),
				new Subject("farine-dev (no broker)", FarineStartupApplication.class, true));
		subjects.forEach(Startup::warmUp);
		for (int run = 0; run < settings.startupRuns(); run++) {
			for (int i = 0; i < subjects.size(); i++) {
				Subject subject = subjects.get((run + i) % subjects.size());
				double[] figures = start(subject);
				results.add(SCENARIO, subject.name(), "ready_ms", figures[0]);
				results.add(SCENARIO, subject.name(), "rss_mb", figures[1]);
				if (figures[2] > 0) {
					results.add(SCENARIO, subject.name(), "first_message_ms", figures[2]);
				}
			}
		}
		Broker.delete("bench-startup-farine", "bench-startup-farine.dlq", "bench-startup-plain");
		Broker.deleteExchange("bench-startup");
	}

	private static void warmUp(Subject subject) {
		try {
			start(subject);
		}
		catch (IOException | InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Starts an application in a new JVM; returns milliseconds to ready, resident megabytes, and
	 * milliseconds to its first message back (0 for the plain Boot application, which sends none).
	 * The embedded-broker subject points farine at a loopback port where nothing listens, so
	 * farine-dev starts its broker; the others run with farine-dev off, against RabbitMQ.
	 */
	private static double[] start(Subject subject) throws IOException, InterruptedException {
		return start(subject.application(), subject.embeddedBroker());
	}

	/**
	 * Starts {@code application} in a new JVM with {@code arguments} added; see {@link #start(Subject)}.
	 */
	static double[] start(Class<?> application, boolean embeddedBroker, String... arguments)
			throws IOException, InterruptedException {
		String java = ProcessHandle.current().info().command().orElse("java");
		String broker = embeddedBroker ? "amqp://guest:guest@127.0.0.1:" + freePort() + "//" : Contexts.BROKER_URI;
		List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
				application.getName(), "--farine.defaults.amqp_uri=" + broker, "--farine.dev.enabled=" + embeddedBroker,
				"--spring.rabbitmq.host=127.0.0.1", "--spring.main.banner-mode=off", "--logging.level.root=WARN"));
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		long start = System.nanoTime();
		Process process = builder.start();
		try (BufferedReader output = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = output.readLine()) != null && !line.contains("BENCH-READY")) {
				// wait for the ready line; the application logs only warnings
			}
			if (line == null) {
				throw new IllegalStateException(application.getSimpleName() + " exited before it was ready");
			}
			double readyMillis = (System.nanoTime() - start) / 1e6;
			double rssMegabytes = residentMegabytes(process.pid());
			double firstMessageMillis = 0;
			if (application == FarineStartupApplication.class) {
				while ((line = output.readLine()) != null && !line.contains("BENCH-FIRST-MESSAGE")) {
					// wait for the round trip
				}
				firstMessageMillis = (System.nanoTime() - start) / 1e6;
			}
			return new double[] { readyMillis, rssMegabytes, firstMessageMillis };
		}
		finally {
			process.destroy();
			if (!process.waitFor(20, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
	}

	private static int freePort() throws IOException {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static double residentMegabytes(long pid) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
			}
		}
		throw new IllegalStateException("No VmRSS for process " + pid);
	}

}
