package io.farine.benchmarks;

import java.util.ArrayList;
import java.util.List;

import io.farine.benchmarks.apps.FarineServicesApplication;
import io.farine.benchmarks.apps.PlainBootServicesApplication;

/**
 * The services-per-process curve: an application of 1, 10 and 100 services, each consuming its
 * own queue, started in its own JVM (farine and plain Spring Boot alternating): milliseconds to
 * ready and resident megabytes then.
 */
final class ServicesStartup {

	static final String SCENARIO = "services";

	static final List<Integer> SERVICES = List.of(1, 10, 100);

	private ServicesStartup() {
	}

	static void run(Settings settings, Results results) throws Exception {
		String farinePrefix = Contexts.unique("bench-svc-farine");
		String plainPrefix = Contexts.unique("bench-svc-plain");
		try {
			Startup.start(FarineServicesApplication.class, false, args(farinePrefix, 1));
			Startup.start(PlainBootServicesApplication.class, false, args(plainPrefix, 1));
			for (int round = 0; round < settings.startupRuns(); round++) {
				for (int services : SERVICES) {
					boolean farineFirst = round % 2 == 0;
					for (String subject : farineFirst ? List.of("farine", "plain-boot") : List.of("plain-boot", "farine")) {
						double[] figures = subject.equals("farine")
								? Startup.start(FarineServicesApplication.class, false, args(farinePrefix, services))
								: Startup.start(PlainBootServicesApplication.class, false, args(plainPrefix, services));
						results.add(SCENARIO, subject, "ready_ms", services, figures[0]);
						results.add(SCENARIO, subject, "rss_mb", services, figures[1]);
					}
				}
			}
		}
		finally {
			int most = SERVICES.get(SERVICES.size() - 1);
			List<String> queues = new ArrayList<>();
			List<String> exchanges = new ArrayList<>();
			for (int i = 0; i < most; i++) {
				queues.addAll(List.of(farinePrefix + "-" + i, farinePrefix + "-" + i + ".dlq", plainPrefix + "-" + i));
				exchanges.addAll(List.of(farinePrefix + "-" + i, plainPrefix + "-" + i));
			}
			Broker.delete(queues.toArray(String[]::new));
			exchanges.forEach(Broker::deleteExchange);
		}
	}

	private static String[] args(String prefix, int services) {
		return new String[] { "--bench.services=" + services, "--bench.prefix=" + prefix };
	}

}
