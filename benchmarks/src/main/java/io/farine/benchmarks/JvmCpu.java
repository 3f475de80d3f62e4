package io.farine.benchmarks;

import java.lang.management.ManagementFactory;

/**
 * The CPU time this JVM (clients and servers of every subject, alternating) has used: beside
 * {@link BrokerCpu}, it tells which side of the broker a subject's extra cost is on.
 */
final class JvmCpu {

	private static final com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	private JvmCpu() {
	}

	/** Milliseconds of CPU this JVM has used so far, every thread (GC and JIT included). */
	static double millis() {
		return os.getProcessCpuTime() / 1e6;
	}

}
