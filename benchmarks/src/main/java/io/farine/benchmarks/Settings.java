package io.farine.benchmarks;

/**
 * How much work a run does: the full run (under 10 minutes on 2 cores) or {@code --quick} (under
 * 5 minutes): as many rounds, each long enough (8,000 messages or calls, about a second) for
 * a neighbour's burst on a shared machine not to decide it.
 *
 * @param rounds measured rounds per subject, after one warm-up round
 * @param messages messages per publish-consume round
 * @param sequentialCalls calls per sequential RPC round
 * @param concurrentCalls calls per concurrent RPC round
 * @param inFlight concurrent RPC calls in flight
 * @param streamItems items of the streamed call
 * @param startupRuns start-ups per application
 */
record Settings(int rounds, int messages, int sequentialCalls, int concurrentCalls, int inFlight, int streamItems,
		int startupRuns) {

	static Settings full() {
		return new Settings(5, 20_000, 3_000, 20_000, 16, 10_000, 5);
	}

	static Settings quick() {
		return new Settings(5, 8_000, 1_500, 8_000, 16, 10_000, 3);
	}

}
