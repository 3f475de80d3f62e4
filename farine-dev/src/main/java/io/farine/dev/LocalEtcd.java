package io.farine.dev;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.FileSystemUtils;

/**
 * A single-member etcd started from the {@code etcd} binary on the PATH (Debian's
 * {@code etcd-server}), on free loopback ports with a temporary data directory removed when it
 * stops.
 */
final class LocalEtcd implements AutoCloseable {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

	private final Process process;

	private final Path directory;

	private final int clientPort;

	private LocalEtcd(Process process, Path directory, int clientPort) {
		this.process = process;
		this.directory = directory;
		this.clientPort = clientPort;
	}

	/** The {@code etcd} executable on the PATH, if there is one. */
	static @Nullable Path binary() {
		String path = System.getenv("PATH");
		if (path == null) {
			return null;
		}
		for (String directory : path.split(File.pathSeparator)) {
			Path candidate = Path.of(directory, "etcd");
			if (Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		return null;
	}

	static LocalEtcd start(Path binary) {
		int client = Loopback.freePort();
		int peer = Loopback.freePort();
		String clientUrl = "http://127.0.0.1:" + client;
		String peerUrl = "http://127.0.0.1:" + peer;
		try {
			Path directory = Files.createTempDirectory("farine-dev-etcd");
			Process process = new ProcessBuilder(List.of(binary.toString(), "--name", "farine-dev", "--data-dir",
					directory.resolve("data").toString(), "--listen-client-urls", clientUrl, "--advertise-client-urls",
					clientUrl, "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
					"--initial-cluster", "farine-dev=" + peerUrl, "--initial-cluster-state", "new"))
				.redirectErrorStream(true)
				.redirectOutput(directory.resolve("etcd.log").toFile())
				.start();
			LocalEtcd etcd = new LocalEtcd(process, directory, client);
			long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
			while (!Loopback.accepts("127.0.0.1", client)) {
				if (!process.isAlive() || System.nanoTime() > deadline) {
					etcd.close();
					throw new IllegalStateException("The local etcd (" + binary + ") did not start; see its log in "
							+ directory.resolve("etcd.log"));
				}
				java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
			}
			return etcd;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start " + binary + ": " + ex.getMessage(), ex);
		}
	}

	String endpoint() {
		return "http://127.0.0.1:" + this.clientPort;
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			this.process.waitFor();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		FileSystemUtils.deleteRecursively(this.directory.toFile());
	}

}
