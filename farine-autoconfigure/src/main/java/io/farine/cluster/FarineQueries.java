package io.farine.cluster;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import io.farine.registry.RegistryState;
import io.farine.registry.ServiceInstance;
import io.farine.registry.ServiceRegistry;

/**
 * Asks every live instance (all, those of a service, or those with given tags) and returns the
 * answers as they come: Serf's queries, over RabbitMQ. The query is sent when this method is
 * called; the {@code Flux} replays what came before its subscription. It completes after every
 * instance the registry knew at send time answered, or at the timeout; its last element
 * ({@link QueryAnswer.Kind#END}) names the instances that stayed silent. Without a registry the
 * query waits for the whole timeout, as nobody says who should answer. A query whose subscribers
 * all went (cancelling, as {@code blockFirst()} or closing the stream of {@link #queryStream}
 * do) ends then: later answers are dropped.
 */
public final class FarineQueries {

	private final ClusterRuntime runtime;

	private final Supplier<@Nullable ServiceRegistry> registry;

	/**
	 * Creates the querier.
	 * @param runtime carries the queries and their answers
	 * @param registry says which instances live, if the application has a registry
	 */
	FarineQueries(ClusterRuntime runtime, Supplier<@Nullable ServiceRegistry> registry) {
		this.runtime = runtime;
		this.registry = registry;
	}

	/**
	 * Sends a query.
	 * @param name the query's name, as in {@link OnQuery}
	 * @param payload the payload, written as JSON (a {@code byte[]} as is)
	 * @param options who is asked and how long to wait
	 * @return the acknowledgements and answers as they come, then the end
	 */
	public Flux<QueryAnswer> query(String name, Object payload, QueryOptions options) {
		Set<String> expected = expected(options);
		QueryCall call = this.runtime.ask(name, payload, options, expected);
		if (expected != null && expected.isEmpty()) {
			call.end();
			return call.answers();
		}
		Disposable timer = Schedulers.parallel().schedule(call::end, options.timeout().toMillis(), TimeUnit.MILLISECONDS);
		// the call ends when its last subscriber goes, cancelling (blockFirst, a stream closed)
		// or not: nobody reads its answers any more
		AtomicInteger subscribers = new AtomicInteger();
		return call.answers().doOnSubscribe((subscription) -> subscribers.incrementAndGet()).doFinally((signal) -> {
			if (subscribers.decrementAndGet() == 0) {
				call.end();
				timer.dispose();
			}
		});
	}

	/**
	 * Sends a query and reads its answers as a blocking stream.
	 * @param name the query's name
	 * @param payload the payload
	 * @param options who is asked and how long to wait
	 * @return the answers, ending with {@link QueryAnswer.Kind#END}
	 */
	public Stream<QueryAnswer> queryStream(String name, Object payload, QueryOptions options) {
		return query(name, payload, options).toStream();
	}

	/** The instance ids the registry knows for the options, or {@code null} when it knows nothing. */
	private @Nullable Set<String> expected(QueryOptions options) {
		ServiceRegistry live = this.registry.get();
		if (live == null || live.state() == RegistryState.OFF || !live.synced()) {
			return null;
		}
		List<String> services = (options.service() != null) ? List.of(options.service())
				: List.copyOf(live.services().keySet());
		Set<String> expected = new LinkedHashSet<>();
		for (String service : services) {
			for (ServiceInstance instance : live.instances(service)) {
				if (instance.tags().containsAll(options.tags()) && !ServiceInstance.LEAVING.equals(instance.status())) {
					expected.add(instance.instanceId());
				}
			}
		}
		return expected;
	}

}
