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

	static void run(Settings settings, Results results) throws Exception {
		List<Class<?>> applications = List.of(FarineStartupApplication.class, PlainBootStartupApplication.class);
		start(applications.get(0));
		start(applications.get(1));
		for (int run = 0; run < settings.startupRuns(); run++) {
			for (int i = 0; i < applications.size(); i++) {
				Class<?> application = applications.get((run + i) % applications.size());
				double[] figures = start(application);
				String subject = (application == FarineStartupApplication.class) ? "farine" : "plain-boot";
				results.add(SCENARIO, subject, "ready_ms", figures[0]);
				results.add(SCENARIO, subject, "rss_mb", figures[1]);
			}
		}
		Broker.delete("bench-startup-farine", "bench-startup-farine.dlq", "bench-startup-plain");
		Broker.deleteExchange("bench-startup");
	}

	/** Starts an application in a new JVM; returns milliseconds to ready and resident megabytes. */
	private static double[] start(Class<?> application) throws IOException, InterruptedException {
		String java = ProcessHandle.current().info().command().orElse("java");
		ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				application.getName(), "--farine.defaults.amqp_uri=" + Contexts.BROKER_URI,
				"--spring.rabbitmq.host=127.0.0.1", "--spring.main.banner-mode=off", "--logging.level.root=WARN")
			.redirectErrorStream(true);
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
			return new double[] { readyMillis, rssMegabytes };
		}
		finally {
			process.destroy();
			if (!process.waitFor(20, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
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
