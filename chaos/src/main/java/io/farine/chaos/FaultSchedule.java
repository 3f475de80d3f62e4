package io.farine.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import io.farine.test.RabbitCluster;

/**
 * When each fault happens, drawn from the seed so that a run can be repeated: every kind the same
 * number of times, in an order and at moments uniformly spread over the load (from a tenth of it
 * to nine tenths), each with how long its server stays down. The run injects them one after the
 * other: a fault whose moment comes while the one before still runs waits for it, so two
 * RabbitMQ nodes are never down at once (quorum queues need two of three).
 */
final class FaultSchedule {

	/**
	 * One planned fault.
	 * @param at when, from the start of the load
	 * @param fault what
	 * @param node the RabbitMQ node for {@link Fault#RABBIT_NODE} (the others choose theirs when they happen)
	 * @param down how long the server stays down (a node, etcd, the service), before it starts again
	 */
	record Planned(Duration at, Fault fault, String node, Duration down) {

		@Override
		public String toString() {
			String what = (this.fault == Fault.RABBIT_NODE) ? this.fault.description() + " (" + this.node + ")"
					: this.fault.description();
			return String.format("%6s  %s%s", Clock.format(this.at), what,
					this.down.isZero() ? "" : ", down " + this.down.toMillis() / 1000.0 + " s");
		}

	}

	private FaultSchedule() {
	}

	/**
	 * @param seed the run's seed
	 * @param perKind how many faults of each kind
	 * @param load how long the load runs
	 */
	static List<Planned> plan(long seed, int perKind, Duration load) {
		Random random = new Random(seed);
		List<Fault> kinds = new ArrayList<>();
		for (Fault fault : Fault.values()) {
			for (int i = 0; i < perKind; i++) {
				kinds.add(fault);
			}
		}
		Collections.shuffle(kinds, random);
		List<Planned> planned = new ArrayList<>();
		long from = load.toMillis() / 10;
		long span = load.toMillis() * 8 / 10;
		for (Fault fault : kinds) {
			Duration at = Duration.ofMillis(from + (long) (random.nextDouble() * span));
			String node = RabbitCluster.NODES.get(random.nextInt(RabbitCluster.NODES.size()));
			Duration down = switch (fault) {
				case RABBIT_NODE, SERVICE_NODE -> Duration.ofMillis(1000 + random.nextInt(5000));
				case ETCD -> Duration.ofMillis(500 + random.nextInt(4500));
				case SERVICE_KILL -> Duration.ofMillis(random.nextInt(3000));
				case POSTGRES, TCP_CUT -> Duration.ZERO;
			};
			planned.add(new Planned(at, fault, node, down));
		}
		planned.sort(Comparator.comparing(Planned::at));
		return planned;
	}

}
