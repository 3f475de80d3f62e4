package io.farine.benchmarks;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import io.farine.execute.Execute;
import io.farine.registry.ServiceRegistry;
import io.farine.service.FarineService;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Scenario 6: a service starts and registers in etcd; how long until an observer application
 * (its own etcd client, its own watch-backed cache) sees it, and, after a graceful stop, until
 * it sees it gone. Runs its own etcd ({@code /usr/bin/etcd}) on a free loopback port.
 */
final class Registry {

	static final String SCENARIO = "registry";

	private static final int CYCLES_PER_ROUND = 10;

	private Registry() {
	}

	static void run(Settings settings, Results results) throws Exception {
		try (Etcd etcd = Etcd.start()) {
			ConfigurableApplicationContext observer = app(Observer.class, etcd.endpoint, "bench-observer");
			try {
				ServiceRegistry registry = observer.getBean(ServiceRegistry.class);
				cycle(etcd, registry);
				for (int round = 0; round < settings.rounds(); round++) {
					long[] visible = new long[CYCLES_PER_ROUND];
					long[] gone = new long[CYCLES_PER_ROUND];
					for (int i = 0; i < CYCLES_PER_ROUND; i++) {
						long[] times = cycle(etcd, registry);
						visible[i] = times[0];
						gone[i] = times[1];
					}
					record(results, "farine (register-to-visible)", visible);
					record(results, "farine (stop-to-gone)", gone);
				}
			}
			finally {
				observer.close();
			}
		}
	}

	private static void record(Results results, String subject, long[] nanos) {
		Arrays.sort(nanos);
		results.add(SCENARIO, subject, "p50_us", nanos[nanos.length / 2] / 1e3);
		results.add(SCENARIO, subject, "visible_p99_ms", nanos[(int) Math.ceil(nanos.length * 0.99) - 1] / 1e6);
	}

	/** Starts a registering service, waits until the observer sees it, stops it, waits until it is gone. */
	private static long[] cycle(Etcd etcd, ServiceRegistry observer) throws InterruptedException {
		String service = Contexts.unique("bench-reg");
		ConfigurableApplicationContext registrant = app(Registrant.class, etcd.endpoint, service);
		long ready = System.nanoTime();
		await(() -> !observer.instances(service).isEmpty());
		long visible = System.nanoTime() - ready;
		long stop = System.nanoTime();
		registrant.close();
		try {
			await(() -> observer.instances(service).isEmpty());
		}
		catch (IllegalStateException ex) {
			throw new IllegalStateException("still " + observer.instances(service) + " synced " + observer.synced(), ex);
		}
		return new long[] { visible, System.nanoTime() - stop };
	}

	private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The observer did not see the change within 10 s");
			}
			Thread.onSpinWait();
		}
	}

	private static ConfigurableApplicationContext app(Class<?> configuration, String etcd, String service) {
		return new SpringApplicationBuilder(configuration).web(WebApplicationType.NONE)
			.properties("farine.defaults.etcd_endpoints=" + etcd, "bench.service=" + service,
					"farine.defaults.amqp_uri=" + Contexts.BROKER_URI,
					"spring.autoconfigure.exclude=org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration",
					"logging.level.root=WARN", "spring.main.banner-mode=off")
			.logStartupInfo(false)
			.run();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Observer {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Registrant {

		@Bean
		Service service() {
			return new Service();
		}

	}

	@FarineService("${bench.service}")
	static class Service {

		@Execute(restart = false)
		void run() {
		}

	}

	/** An etcd process on free loopback ports with a temporary data directory. */
	static final class Etcd implements AutoCloseable {

		final String endpoint;

		private final Process process;

		private final Path data;

		private Etcd(String endpoint, Process process, Path data) {
			this.endpoint = endpoint;
			this.process = process;
			this.data = data;
		}

		static Etcd start() throws IOException, InterruptedException {
			int client = freePort();
			int peer = freePort();
			Path data = Files.createTempDirectory("farine-bench-etcd-");
			String endpoint = "http://127.0.0.1:" + client;
			Process process = new ProcessBuilder("etcd", "--data-dir", data.toString(), "--listen-client-urls", endpoint,
					"--advertise-client-urls", endpoint, "--listen-peer-urls", "http://127.0.0.1:" + peer,
					"--initial-advertise-peer-urls", "http://127.0.0.1:" + peer, "--initial-cluster",
					"default=http://127.0.0.1:" + peer)
				.redirectErrorStream(true)
				.redirectOutput(data.resolve("etcd.log").toFile())
				.start();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
			while (!healthy(endpoint)) {
				if (System.nanoTime() > deadline || !process.isAlive()) {
					process.destroyForcibly();
					throw new IllegalStateException("etcd did not start: " + Files.readString(data.resolve("etcd.log")));
				}
				Thread.sleep(50);
			}
			return new Etcd(endpoint, process, data);
		}

		private static boolean healthy(String endpoint) {
			try {
				HttpURLConnection connection = (HttpURLConnection) URI.create(endpoint + "/health").toURL().openConnection();
				connection.setConnectTimeout(200);
				return connection.getResponseCode() == 200;
			}
			catch (IOException ex) {
				return false;
			}
		}

		private static int freePort() throws IOException {
			try (ServerSocket socket = new ServerSocket(0)) {
				return socket.getLocalPort();
			}
		}

		@Override
		public void close() throws Exception {
			this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			try (var files = Files.walk(this.data)) {
				files.sorted(java.util.Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
			}
		}

	}

}
