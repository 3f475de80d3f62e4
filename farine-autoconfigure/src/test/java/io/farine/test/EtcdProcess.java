package io.farine.test;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real etcd (Debian's {@code etcd-server}, {@code /usr/bin/etcd}) started by a test on free
 * loopback ports with a temporary data directory, so the test can kill it and start it again.
 * A cluster is several of them knowing each other.
 */
public final class EtcdProcess implements AutoCloseable {

	private final String name;

	private final int clientPort;

	private final int peerPort;

	private final Path dataDir;

	private final List<String> extraArgs;

	private String initialCluster;

	private Process process;

	private EtcdProcess(String name, int clientPort, int peerPort, Path dataDir, List<String> extraArgs) {
		this.name = name;
		this.clientPort = clientPort;
		this.peerPort = peerPort;
		this.dataDir = dataDir;
		this.extraArgs = extraArgs;
		this.initialCluster = name + "=" + peerUrl();
	}

	/** Starts one etcd member and waits until it is healthy. */
	public static EtcdProcess start(String... extraArgs) throws IOException {
		EtcdProcess etcd = create("etcd0", List.of(extraArgs));
		etcd.launch();
		etcd.awaitHealthy();
		return etcd;
	}

	/** Creates one etcd member on free ports without starting it. */
	public static EtcdProcess create(String name, List<String> extraArgs) throws IOException {
		return new EtcdProcess(name, freePort(), freePort(), Files.createTempDirectory("farine-etcd-"), extraArgs);
	}

	/** Starts a cluster of members on loopback and waits until each is healthy. */
	public static List<EtcdProcess> cluster(int size) throws IOException {
		List<EtcdProcess> members = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			members.add(create("etcd" + i, List.of()));
		}
		String cluster = members.stream().map((m) -> m.name + "=" + m.peerUrl()).collect(Collectors.joining(","));
		for (EtcdProcess member : members) {
			member.initialCluster = cluster;
			member.launch();
		}
		for (EtcdProcess member : members) {
			member.awaitHealthy();
		}
		return members;
	}

	private void launch() throws IOException {
		boolean tls = this.extraArgs.contains("--cert-file");
		List<String> command = new ArrayList<>(List.of("/usr/bin/etcd", "--name", this.name, "--data-dir",
				this.dataDir.toString(), "--listen-client-urls", endpoint(tls), "--advertise-client-urls", endpoint(tls),
				"--listen-peer-urls", peerUrl(), "--initial-advertise-peer-urls", peerUrl(), "--initial-cluster",
				this.initialCluster, "--initial-cluster-state", "new", "--heartbeat-interval", "50",
				"--election-timeout", "500", "--logger", "zap", "--log-outputs", "stderr"));
		command.addAll(this.extraArgs);
		this.process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(this.dataDir.resolve("etcd.log").toFile())
			.start();
	}

	/** Kills the process (SIGKILL), keeping its data. */
	public void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor(10, TimeUnit.SECONDS);
	}

	/** Starts the process again on the same ports and data, and waits until it is healthy. */
	public void restart() throws IOException {
		launch();
		awaitHealthy();
	}

	public String endpoint() {
		return endpoint(this.extraArgs.contains("--cert-file"));
	}

	private String endpoint(boolean tls) {
		return (tls ? "https" : "http") + "://127.0.0.1:" + this.clientPort;
	}

	private String peerUrl() {
		return "http://127.0.0.1:" + this.peerPort;
	}

	private void awaitHealthy() throws IOException {
		try {
			org.awaitility.Awaitility.await()
				.atMost(Duration.ofSeconds(20))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> {
					if (!this.process.isAlive()) {
						throw new IOException("etcd exited: " + Files.readString(this.dataDir.resolve("etcd.log")));
					}
					return this.extraArgs.contains("--cert-file") ? portOpen() : healthy();
				});
		}
		catch (org.awaitility.core.ConditionTimeoutException ex) {
			throw new IOException("etcd did not become healthy: " + Files.readString(this.dataDir.resolve("etcd.log")), ex);
		}
	}

	private boolean healthy() {
		try {
			HttpURLConnection connection = (HttpURLConnection) URI.create(endpoint(false) + "/health").toURL()
				.openConnection();
			connection.setConnectTimeout(200);
			connection.setReadTimeout(500);
			return connection.getResponseCode() == 200
					&& new String(connection.getInputStream().readAllBytes()).contains("\"health\":\"true\"");
		}
		catch (IOException ex) {
			return false;
		}
	}

	private boolean portOpen() {
		try (java.net.Socket socket = new java.net.Socket("127.0.0.1", this.clientPort)) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** Ports handed out in this JVM: two asks in a row can get the same free port from the kernel. */
	private static final java.util.Set<Integer> handedOut = java.util.concurrent.ConcurrentHashMap.newKeySet();

	/** A free loopback port not handed out before (a member's client and peer ports once came out equal). */
	private static int freePort() throws IOException {
		while (true) {
			try (ServerSocket socket = new ServerSocket(0)) {
				if (handedOut.add(socket.getLocalPort())) {
					return socket.getLocalPort();
				}
			}
		}
	}

	@Override
	public void close() throws IOException, InterruptedException {
		if (this.process != null) {
			kill();
		}
		deleteRecursively(this.dataDir.toFile());
	}

	private static void deleteRecursively(File file) {
		File[] children = file.listFiles();
		if (children != null) {
			for (File child : children) {
				deleteRecursively(child);
			}
		}
		file.delete();
	}

}
