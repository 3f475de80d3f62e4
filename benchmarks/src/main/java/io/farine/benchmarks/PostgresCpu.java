package io.farine.benchmarks;

/**
 * The CPU time the local PostgreSQL's processes alive now (server, backends, WAL writer) have
 * used, read from {@code /proc}: beside the broker's and the JVM's, it tells which of the three
 * a database scenario spends its work in. Connections are pooled, so the backends of a run live
 * through it.
 */
final class PostgresCpu {

	private PostgresCpu() {
	}

	/** Milliseconds of CPU used so far (user + system) by the processes named {@code postgres}. */
	static double millis() {
		return ProcessHandle.allProcesses()
			.filter((process) -> process.info().command().map((command) -> command.endsWith("/postgres")).orElse(false))
			.mapToDouble((process) -> BrokerCpu.millis(process.pid()))
			.sum();
	}

}
