package io.farine.benchmarks;

import java.nio.file.Path;
import java.util.List;

/**
 * Runs every scenario against the local RabbitMQ, farine and its baselines alternating in one
 * process run, prints the table and writes {@code benchmarks/target/results.json}. Run it with
 * {@code scripts/bench.sh [--quick]}; {@code -Dbench.only=rpc} (or {@code publish-consume},
 * {@code publish-consume-db}, {@code startup}, {@code registry}, {@code outbox-drain}) runs one
 * step, for profiling.
 * {@code --curves} runs {@link Curves} instead, writes {@code benchmarks/target/curves.json} and
 * draws its {@link Charts} into {@code benchmarks/target/charts}.
 */
public final class Benchmarks {

	private Benchmarks() {
	}

	public static void main(String[] args) throws Exception {
		boolean quick = List.of(args).contains("--quick");
		boolean curves = List.of(args).contains("--curves");
		Settings settings = quick ? Settings.quick() : Settings.full();
		Path output = Path.of(System.getProperty("bench.output",
				curves ? "benchmarks/target/curves.json" : "benchmarks/target/results.json"));
		Results results = new Results();
		long start = System.nanoTime();
		if (curves) {
			step("curves", () -> Curves.run(settings, results));
			results.write(output);
			System.out.println();
			System.out.print(results.table());
			Path charts = Path.of(System.getProperty("bench.charts", "benchmarks/target/charts"));
			System.out.printf("%nCurves run in %.0f s; figures in %s; charts: %s%n", (System.nanoTime() - start) / 1e9,
					output, Charts.draw(output, charts));
			System.exit(0);
		}
		step("publish-consume", () -> PublishConsume.run(settings, results));
		step("rpc", () -> Rpc.run(settings, results));
		step("publish-consume-db", () -> PublishConsumeDb.run(settings, results));
		step("startup", () -> Startup.run(settings, results));
		step("registry", () -> Registry.run(settings, results));
		step("outbox-drain", () -> OutboxDrain.run(results));
		results.write(output);
		System.out.println();
		System.out.print(results.table());
		System.out.println();
		System.out.print(results.notes());
		System.out.printf("%n%s run in %.0f s; figures in %s (farine/x: farine's median over that row's)%n",
				quick ? "Quick" : "Full", (System.nanoTime() - start) / 1e9, output);
		System.exit(0);
	}

	private static void step(String name, Step step) throws Exception {
		String only = System.getProperty("bench.only", "");
		if (!only.isEmpty() && !List.of(only.split(",")).contains(name)) {
			return;
		}
		long start = System.nanoTime();
		System.out.println("[bench] " + name + "...");
		step.run();
		System.out.printf("[bench] %s done in %.0f s%n", name, (System.nanoTime() - start) / 1e9);
	}

	private interface Step {

		void run() throws Exception;

	}

}
