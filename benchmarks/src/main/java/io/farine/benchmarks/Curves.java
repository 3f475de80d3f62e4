package io.farine.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * How cost grows with the work ({@code scripts/bench.sh --curves}): each point measured for
 * farine beside the raw RabbitMQ client in the same run, subjects alternating within a round.
 * <ul>
 * <li>{@code rpc-in-flight}: {@code add(i, 1)} with 1 to 1,024 calls in flight: calls per second,
 * p50 and p99, and the bytes this JVM (caller and server both) allocated per call;</li>
 * <li>{@code body-size}: publish then consume bodies of 200 B, 10 KiB and 1 MiB: messages and
 * megabytes per second;</li>
 * <li>{@code consumers}: publish then consume with 1, 4 and 16 consumers on the queue;</li>
 * <li>{@code services}: an application of 1, 10 and 100 services, each consuming a queue, beside
 * plain Spring Boot with as many {@code @RabbitListener}-style endpoints: start-up and RSS
 * ({@link ServicesStartup});</li>
 * <li>{@code db-batch-size}: the {@code publish-consume-db} scenario's farine application with the
 * outbox, {@code db_batch_size} 1, 10, 50 and 200 ({@code db_batch_window} 5 ms): messages per
 * second and the p99 time from a request's publish to its event's consumption (no raw baseline:
 * the curve shows what group commit buys).</li>
 * </ul>
 * {@code -Dbench.curves=db-batch-size} (or any comma-separated names of these) runs only those.
 * {@link Charts} draws them from {@code results.json}.
 */
final class Curves {

	static final String RPC_IN_FLIGHT = "rpc-in-flight";

	static final String BODY_SIZE = "body-size";

	static final String CONSUMERS = "consumers";

	static final List<Integer> IN_FLIGHT = List.of(1, 16, 64, 256, 1024);

	static final List<Integer> BODY_BYTES = List.of(200, 10 * 1024, 1024 * 1024);

	static final List<Integer> CONSUMER_COUNTS = List.of(1, 4, 16);

	static final String DB_BATCH_SIZE = "db-batch-size";

	static final List<Integer> DB_BATCH_SIZES = List.of(1, 10, 50, 200);

	private Curves() {
	}

	static void run(Settings settings, Results results) throws Exception {
		if (selected(RPC_IN_FLIGHT)) {
			rpcInFlight(settings, results);
		}
		if (selected(BODY_SIZE)) {
			bodySize(settings, results);
		}
		if (selected(CONSUMERS)) {
			consumers(settings, results);
		}
		if (selected(ServicesStartup.SCENARIO)) {
			ServicesStartup.run(settings, results);
		}
		if (selected(DB_BATCH_SIZE)) {
			dbBatchSize(settings, results);
		}
	}

	private static boolean selected(String curve) {
		String only = System.getProperty("bench.curves", "");
		return only.isEmpty() || List.of(only.split(",")).contains(curve);
	}

	/** The farine application of {@code publish-consume-db} with each batch size, alternating within a round. */
	private static void dbBatchSize(Settings settings, Results results) throws Exception {
		int messages = Math.max(200, settings.messages() / 4);
		List<PublishConsumeDb.FarineSubject> subjects = new java.util.ArrayList<>();
		try {
			for (int size : DB_BATCH_SIZES) {
				subjects.add(new PublishConsumeDb.FarineSubject("farine", true, size));
			}
			for (PublishConsumeDb.FarineSubject subject : subjects) {
				subject.run(messages / 4);
			}
			for (int round = 0; round < settings.rounds(); round++) {
				for (int i = 0; i < subjects.size(); i++) {
					int index = (round + i) % subjects.size();
					PublishConsumeDb.FarineSubject subject = subjects.get(index);
					int size = DB_BATCH_SIZES.get(index);
					results.add(DB_BATCH_SIZE, subject.name(), "msg_per_s", size, subject.run(messages));
					results.add(DB_BATCH_SIZE, subject.name(), "p99_ms", size, subject.p99Millis());
				}
			}
		}
		finally {
			for (PublishConsumeDb.FarineSubject subject : subjects) {
				subject.close();
			}
		}
	}

	private static void rpcInFlight(Settings settings, Results results) throws Exception {
		try (Rpc.Caller farine = new Rpc.FarineCaller();
				Rpc.Caller raw = new Rpc.RawCaller("raw-client", false)) {
			List<Rpc.Caller> callers = List.of(farine, raw);
			for (Rpc.Caller caller : callers) {
				Rpc.concurrent(caller, settings.concurrentCalls() / 4, 64);
			}
			for (int round = 0; round < settings.rounds(); round++) {
				for (int inFlight : IN_FLIGHT) {
					for (int i = 0; i < callers.size(); i++) {
						Rpc.Caller caller = callers.get((round + i) % callers.size());
						long allocatedBefore = allocatedBytes();
						double[] figures = Rpc.concurrent(caller, settings.concurrentCalls(), inFlight);
						double allocated = (allocatedBytes() - allocatedBefore) / (double) settings.concurrentCalls();
						results.add(RPC_IN_FLIGHT, caller.name(), "calls_per_s", inFlight, figures[0]);
						results.add(RPC_IN_FLIGHT, caller.name(), "p50_us", inFlight, figures[1]);
						results.add(RPC_IN_FLIGHT, caller.name(), "p99_us", inFlight, figures[2]);
						results.add(RPC_IN_FLIGHT, caller.name(), "alloc_kb_per_call", inFlight, allocated / 1024);
					}
				}
			}
		}
	}

	private static void bodySize(Settings settings, Results results) throws Exception {
		try (PublishConsume.FarineSubject farine = new PublishConsume.FarineSubject();
				RawSubject raw = new RawSubject()) {
			for (int round = -1; round < settings.rounds(); round++) {
				for (int bytes : BODY_BYTES) {
					int messages = messages(settings, bytes);
					farine.body(bytes);
					raw.body(bytes);
					boolean farineFirst = round % 2 == 0;
					for (PublishConsume.Timed subject : farineFirst ? List.of(farine, raw) : List.of(raw, farine)) {
						double perSecond = subject.run(messages);
						if (round >= 0) {
							results.add(BODY_SIZE, subject.name(), "msg_per_s", bytes, perSecond);
							results.add(BODY_SIZE, subject.name(), "mb_per_s", bytes, perSecond * bytes / (1 << 20));
						}
					}
				}
			}
		}
	}

	/** As many messages as the scenario's, up to 64 MiB of bodies in a round. */
	private static int messages(Settings settings, int bytes) {
		return (int) Math.max(50, Math.min(settings.messages(), (64L << 20) / bytes));
	}

	private static void consumers(Settings settings, Results results) throws Exception {
		for (int consumers : CONSUMER_COUNTS) {
			try (PublishConsume.FarineSubject farine = new PublishConsume.FarineSubject(consumers);
					RawSubject raw = new RawSubject(consumers)) {
				farine.run(settings.messages() / 4);
				raw.run(settings.messages() / 4);
				for (int round = 0; round < settings.rounds(); round++) {
					boolean farineFirst = round % 2 == 0;
					for (PublishConsume.Timed subject : farineFirst ? List.of(farine, raw) : List.of(raw, farine)) {
						results.add(CONSUMERS, subject.name(), "msg_per_s", consumers, subject.run(settings.messages()));
					}
				}
			}
		}
	}

	/** Bytes allocated so far by every live thread of this JVM. */
	private static long allocatedBytes() {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		long total = 0;
		for (long allocated : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
			total += Math.max(0, allocated);
		}
		return total;
	}

}
