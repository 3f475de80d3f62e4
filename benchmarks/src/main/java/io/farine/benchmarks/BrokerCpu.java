package io.farine.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The CPU time the local RabbitMQ (its {@code beam.smp} process) has used, read from
 * {@code /proc}: it tells whether a scenario is bounded by the broker's work rather than the
 * client's. Zero where there is no such process to read.
 */
final class BrokerCpu {

	private static final Optional<Long> pid = ProcessHandle.allProcesses()
		.filter((process) -> process.info().command().map((command) -> command.endsWith("beam.smp")).orElse(false))
		.map(ProcessHandle::pid)
		.findFirst();

	private static final double TICKS_PER_SECOND = 100.0;

	private BrokerCpu() {
	}

	/** Milliseconds of CPU the broker has used so far (user + system). */
	static double millis() {
		return pid.map(BrokerCpu::millis).orElse(0.0);
	}

	/** Milliseconds of CPU a process has used so far (user + system); zero for one gone. */
	static double millis(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 1000 / TICKS_PER_SECOND;
		}
		catch (IOException | RuntimeException ex) {
			return 0;
		}
	}

}
