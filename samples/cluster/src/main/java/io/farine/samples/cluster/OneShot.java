package io.farine.samples.cluster;

import java.time.Duration;
import java.util.Map;

import io.farine.cluster.FarineEvents;
import io.farine.cluster.FarineQueries;
import io.farine.cluster.QueryAnswer;
import io.farine.cluster.QueryOptions;
import io.farine.registry.ServiceRegistry;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/** {@code --query=<name>} or {@code --event=<name>}: sends one and prints what comes back ({@code main} then exits). */
@Component
public class OneShot implements ApplicationRunner {

	private final FarineQueries queries;

	private final FarineEvents events;

	private final ServiceRegistry registry;

	public OneShot(FarineQueries queries, FarineEvents events, ServiceRegistry registry) {
		this.queries = queries;
		this.events = events;
		this.registry = registry;
	}

	@Override
	public void run(ApplicationArguments args) {
		if (args.containsOption("event")) {
			String name = args.getOptionValues("event").get(0);
			this.events.send(name, Map.of("from", "the cluster sample"));
			System.out.println("sent event " + name);
		}
		else if (args.containsOption("query")) {
			String name = args.getOptionValues("query").get(0);
			awaitRegistry();
			this.queries.query(name, Map.of(), QueryOptions.all().withService("node").withTimeout(Duration.ofSeconds(5)))
				.doOnNext(OneShot::print)
				.blockLast();
		}
	}

	/** The registry's cache loads right after start: the query then knows whom to wait for. */
	private void awaitRegistry() {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (!this.registry.synced() && System.nanoTime() < deadline) {
			// the registry says nothing when it is synced: look again shortly, without burning a core
			java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
		}
	}

	private static void print(QueryAnswer answer) {
		if (answer.kind() == QueryAnswer.Kind.END) {
			System.out.println("end; silent: " + answer.silent());
		}
		else {
			System.out.println(answer.instanceId() + ": " + answer.payload());
		}
	}

}
