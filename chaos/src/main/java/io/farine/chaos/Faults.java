package io.farine.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;

import io.farine.test.EtcdProcess;
import io.farine.test.RabbitCluster;
import io.farine.test.TcpProxy;
import org.jspecify.annotations.Nullable;

/**
 * Injects planned faults into the running system, one at a time, and counts them by kind. A
 * server a fault stopped is started again before the fault ends; {@link #restore()} starts what an
 * interrupted run left down.
 */
final class Faults {

	private static final Duration COMMAND_LIMIT = Duration.ofSeconds(180);

	private final Map<String, TcpProxy> brokerProxies;

	private final TcpProxy postgresProxy;

	private final EtcdProcess etcd;

	private final ServiceProcess service;

	private final Map<Fault, Integer> injected = new EnumMap<>(Fault.class);

	/** The node a fault stopped and has not started yet. */
	private volatile @Nullable String stoppedNode;

	private volatile boolean postgresRestarting;

	/**
	 * @param brokerProxies the proxy in front of each node, by node name, which the service connects through
	 * @param postgresProxy the proxy in front of PostgreSQL, which the service connects through
	 */
	Faults(Map<String, TcpProxy> brokerProxies, TcpProxy postgresProxy, EtcdProcess etcd, ServiceProcess service) {
		this.brokerProxies = brokerProxies;
		this.postgresProxy = postgresProxy;
		this.etcd = etcd;
		this.service = service;
		for (Fault fault : Fault.values()) {
			this.injected.put(fault, 0);
		}
	}

	/**
	 * Injects a fault and returns once the system has what it had before (the server is back).
	 * @return what was done, for the run's log
	 */
	String inject(FaultSchedule.Planned planned) throws IOException, InterruptedException {
		String done = switch (planned.fault()) {
			case RABBIT_NODE -> stopAndStart(planned.node(), planned.down());
			case SERVICE_NODE -> stopAndStart(serviceNode(), planned.down());
			case POSTGRES -> restartPostgres();
			case ETCD -> {
				this.etcd.kill();
				Thread.sleep(planned.down().toMillis());
				this.etcd.restart();
				yield "etcd killed, started again after " + planned.down().toMillis() + " ms";
			}
			case TCP_CUT -> {
				int broker = this.brokerProxies.values().stream().mapToInt(TcpProxy::openConnections).sum();
				int database = this.postgresProxy.openConnections();
				this.brokerProxies.values().forEach(TcpProxy::cutConnections);
				this.postgresProxy.cutConnections();
				yield "cut " + broker + " broker and " + database + " PostgreSQL connection(s)";
			}
			case SERVICE_KILL -> {
				this.service.kill();
				Thread.sleep(planned.down().toMillis());
				this.service.start(Duration.ofMinutes(3));
				yield "service killed, started again (start " + this.service.starts() + ")";
			}
		};
		this.injected.merge(planned.fault(), 1, Integer::sum);
		return done;
	}

	/**
	 * The node with most of the service's connections (it has several: consumers, publishers, RPC),
	 * once it has one: right after a cut or a restart it may be reconnecting.
	 */
	private String serviceNode() throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (this.brokerProxies.values().stream().allMatch((proxy) -> proxy.openConnections() == 0)
				&& System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		return this.brokerProxies.entrySet()
			.stream()
			.max(Comparator.comparingInt((Map.Entry<String, TcpProxy> entry) -> entry.getValue().openConnections()))
			.map(Map.Entry::getKey)
			.orElseThrow();
	}

	private String stopAndStart(String node, Duration down) throws InterruptedException {
		int connections = this.brokerProxies.get(node).openConnections();
		this.stoppedNode = node;
		RabbitCluster.stop(node);
		Thread.sleep(down.toMillis());
		RabbitCluster.start(node);
		this.stoppedNode = null;
		return node + " (" + connections + " service connection(s)) stopped, started again after "
				+ down.toMillis() + " ms";
	}

	private String restartPostgres() throws IOException, InterruptedException {
		long start = System.nanoTime();
		this.postgresRestarting = true;
		Command.run(COMMAND_LIMIT, "pg_ctlcluster", "--skip-systemctl-redirect", postgresVersion(), "main", "restart");
		awaitPostgres();
		this.postgresRestarting = false;
		return "PostgreSQL " + postgresVersion() + " restarted, accepting connections after "
				+ Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms";
	}

	private static void awaitPostgres() throws IOException, InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (!Command.succeeds(Duration.ofSeconds(10), "pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432")) {
			if (System.nanoTime() > deadline) {
				throw new IOException("PostgreSQL did not accept connections within 60 s of its restart");
			}
			Thread.sleep(100);
		}
	}

	/** The machine's PostgreSQL cluster version, the newest under /etc/postgresql, as scripts/services.sh takes it. */
	private static String postgresVersion() throws IOException {
		try (Stream<Path> versions = Files.list(Path.of("/etc/postgresql"))) {
			return versions.map((path) -> path.getFileName().toString())
				.filter((name) -> name.matches("\\d+(\\.\\d+)?"))
				.max(Comparator.comparingDouble(Double::parseDouble))
				.orElseThrow(() -> new IOException("No PostgreSQL cluster under /etc/postgresql"));
		}
	}

	/** How many faults of each kind were injected. */
	Map<Fault, Integer> injected() {
		return this.injected;
	}

	/** Starts what a run interrupted in the middle of a fault left down: a RabbitMQ node, PostgreSQL. */
	void restore() {
		String node = this.stoppedNode;
		if (node != null) {
			RabbitCluster.start(node);
		}
		if (this.postgresRestarting) {
			try {
				Command.succeeds(COMMAND_LIMIT, "pg_ctlcluster", "--skip-systemctl-redirect", postgresVersion(), "main",
						"start");
			}
			catch (IOException ex) {
				System.out.println("Could not start PostgreSQL again: " + ex.getMessage());
			}
		}
	}

}
