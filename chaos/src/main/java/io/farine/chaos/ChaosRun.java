package io.farine.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.farine.test.EtcdProcess;
import io.farine.test.RabbitCluster;
import io.farine.test.TcpProxy;
import org.jspecify.annotations.Nullable;

/**
 * The chaos run ({@code scripts/chaos.sh}): the database sample's service {@code users} in its own
 * JVM, with {@code @Consume(idempotent = true)} on {@code create}, on the three-node RabbitMQ
 * cluster (quorum queues, through a TCP proxy per node), a database of its own on the machine's
 * PostgreSQL (through a proxy) and an etcd of its own. A load generator publishes the requests
 * while faults drawn from the seed hit every server and the service itself; a counter reads the
 * {@code created} events. Once the load is published, the faults are over and nothing moves any
 * more, it prints a {@link Report} and exits with 0 only when nothing was lost or left behind.
 * Public for its {@code main}.
 */
public final class ChaosRun {

	private final ChaosOptions options;

	/** What the run started, closed in reverse order at the end or when the JVM is told to stop. */
	private final List<AutoCloseable> started = new ArrayList<>();

	private volatile @Nullable Faults faults;

	/** Whether the JVM is stopping the run (a signal), rather than the run ending. */
	private volatile boolean interrupted;

	private ChaosRun(ChaosOptions options) {
		this.options = options;
	}

	/**
	 * Runs the chaos run; exits with 0 when it passed, 1 when it found loss or messages left behind,
	 * 2 for a bad command line, 3 when the run itself could not be made.
	 * @param arguments {@code --messages N}, {@code --seed S}, {@code --quick}, {@code --service-jar JAR}
	 * or {@code --service-classpath CP}, {@code --run-dir DIR}
	 */
	public static void main(String[] arguments) {
		ChaosOptions options;
		try {
			options = ChaosOptions.parse(arguments);
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.exit(2);
			return;
		}
		ChaosRun run = new ChaosRun(options);
		Thread main = Thread.currentThread();
		Runtime.getRuntime().addShutdownHook(new Thread(() -> run.interrupt(main), "chaos-clean-up"));
		int status;
		try {
			status = run.run() ? 0 : 1;
		}
		catch (Exception ex) {
			if (run.interrupted) {
				System.out.println("The chaos run was interrupted: " + ex);
				status = 130;
			}
			else {
				System.out.println("The chaos run could not be made: " + ex);
				ex.printStackTrace(System.out);
				status = 3;
			}
		}
		run.cleanUp();
		if (!run.interrupted) {
			// (during a shutdown, exit would wait for the hook, which waits for this thread)
			System.exit(status);
		}
	}

	/**
	 * Stops the run when the JVM is told to stop (the script's trap sends SIGTERM): the fault in
	 * progress is interrupted, so that no fault starts after the clean-up, which then starts again
	 * what the fault left down.
	 */
	private void interrupt(Thread main) {
		this.interrupted = true;
		main.interrupt();
		try {
			main.join(20_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		cleanUp();
	}

	private boolean run() throws Exception {
		List<FaultSchedule.Planned> schedule = FaultSchedule.plan(this.options.seed(), this.options.faultsPerKind(),
				this.options.load());
		System.out.printf("Chaos run: seed %d (scripts/chaos.sh --seed %d%s repeats this schedule), %,d messages "
				+ "over %s, run directory %s%n", this.options.seed(), this.options.seed(),
				this.options.quick() ? " --quick" : "", this.options.messages(), Clock.format(this.options.load()),
				this.options.runDirectory());
		System.out.println("Faults, from the start of the load (one at a time: a late one waits for the one before):");
		schedule.forEach((planned) -> System.out.println("  " + planned));
		Files.createDirectories(this.options.runDirectory());

		ClusterVhost.recreate();
		ClusterVhost.declareEventsQueue();
		RunDatabase.drop();
		Map<String, TcpProxy> brokerProxies = new LinkedHashMap<>();
		for (String node : RabbitCluster.NODES) {
			brokerProxies.put(node, started(new TcpProxy(RabbitCluster.port(node))));
		}
		TcpProxy postgresProxy = started(new TcpProxy(5432));
		EtcdProcess etcd = started(EtcdProcess.start());
		Path ini = RunConfiguration.write(this.options.runDirectory(), brokerProxies.values(), postgresProxy, etcd);
		ServiceProcess service = started(new ServiceProcess(this.options.launcher(), ini, this.options.runDirectory()));
		System.out.println("Starting the service (FARINE_INI=" + ini + ")");
		service.start(Duration.ofMinutes(3));
		EventCounter events = started(new EventCounter(ClusterVhost.connectionFactory()));
		events.start();
		LoadGenerator load = new LoadGenerator(ClusterVhost.connectionFactory(), this.options.messages(),
				this.options.load(), "chaos-" + this.options.seed() + "-" + System.currentTimeMillis());
		Thread loading = new Thread(load, "chaos-load");
		loading.start();
		this.started.add(load::stop);
		Clock clock = new Clock();
		clock.print("load started");
		Thread progress = progress(clock, load, events);

		Faults faults = new Faults(brokerProxies, postgresProxy, etcd, service);
		this.faults = faults;
		for (FaultSchedule.Planned planned : schedule) {
			Thread.sleep(Math.max(0, planned.at().minus(clock.elapsed()).toMillis()));
			clock.print(planned.fault().description());
			Duration before = clock.elapsed();
			String done = faults.inject(planned);
			clock.print("  " + done + " (" + (clock.elapsed().minus(before).toMillis() / 1000.0) + " s)");
		}
		clock.print("faults over; waiting for the load to be published");
		if (!load.awaitFinished(this.options.load().plus(Duration.ofMinutes(10)))) {
			clock.print("the load is not published 10 minutes after its end: " + load.lastFailure());
			load.stop();
		}
		clock.print("load published (" + load.republished() + " published again after failures); draining");
		boolean drained = drain(load, events);
		progress.interrupt();
		Snapshot last = Snapshot.take(load, events);
		Report report = new Report(this.options, clock.elapsed(), drained, last, load.republished(), events.redeliveries(),
				ClusterVhost.queueDepths(), faults.injected(), service.starts(), service.unexpectedExits(),
				last.complete(this.options.messages()) ? List.of() : missing(events));
		report.print();
		return report.passed();
	}

	private <T extends AutoCloseable> T started(T resource) {
		this.started.add(resource);
		return resource;
	}

	private Thread progress(Clock clock, LoadGenerator load, EventCounter events) {
		Duration every = this.options.quick() ? Duration.ofSeconds(5) : Duration.ofSeconds(15);
		Thread thread = new Thread(() -> {
			try {
				while (true) {
					Thread.sleep(every.toMillis());
					clock.print(Snapshot.take(load, events).toString());
				}
			}
			catch (InterruptedException ex) {
				// the run is over
			}
		}, "chaos-progress");
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	/**
	 * Waits until every request has its row and its event and the outbox is empty, and nothing has
	 * changed for 5 s (late duplicates are counted); or until nothing has changed for
	 * {@link ChaosOptions#stuckAfter()}: what is missing then is lost or stuck.
	 */
	private boolean drain(LoadGenerator load, EventCounter events) throws InterruptedException {
		@Nullable Snapshot last = null;
		long lastChange = System.nanoTime();
		while (true) {
			Snapshot now = Snapshot.take(load, events);
			if (!now.equals(last)) {
				last = now;
				lastChange = System.nanoTime();
			}
			Duration quiet = Duration.ofNanos(System.nanoTime() - lastChange);
			if (now.complete(this.options.messages()) && quiet.toSeconds() >= 5) {
				return true;
			}
			if (quiet.compareTo(this.options.stuckAfter()) >= 0) {
				return false;
			}
			Thread.sleep(1000);
		}
	}

	/** Up to ten published names without a row or without an event, for the report. */
	private List<String> missing(EventCounter events) {
		Set<String> rows;
		try {
			rows = RunDatabase.names();
		}
		catch (SQLException ex) {
			rows = Set.of();
		}
		List<String> missing = new ArrayList<>();
		for (int i = 0; i < this.options.messages() && missing.size() < 10; i++) {
			String name = LoadGenerator.name(i);
			boolean row = rows.contains(name);
			boolean event = events.saw(name);
			if (!row || !event) {
				missing.add(name + (row ? " (no event)" : event ? " (no row)" : " (no row, no event)"));
			}
		}
		return missing;
	}

	/** Starts what a fault left down and stops what the run started; safe to call twice. */
	private synchronized void cleanUp() {
		if (this.started.isEmpty()) {
			return;
		}
		if (this.interrupted) {
			// after a normal end the report's last line stays the last
			System.out.println("Stopping what the run started");
		}
		Faults faults = this.faults;
		this.faults = null;
		if (faults != null) {
			faults.restore();
		}
		for (int i = this.started.size() - 1; i >= 0; i--) {
			try {
				this.started.get(i).close();
			}
			catch (Exception ex) {
				System.out.println("Could not stop " + this.started.get(i) + ": " + ex);
			}
		}
		this.started.clear();
	}

}
