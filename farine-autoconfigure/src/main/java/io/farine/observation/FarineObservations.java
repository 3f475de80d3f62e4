package io.farine.observation;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;

/**
 * Makes farine's {@link FarineObservation observations} in the application's
 * {@link ObservationRegistry}. Sending observations write the trace context into the outgoing
 * message's headers (W3C {@code traceparent} with Micrometer Tracing's default propagation),
 * receiving ones read it from the delivery's, so a chain of publishes, consumes and RPC calls
 * across services is one trace; a Python peer ignores the extra header. Without a registry
 * ({@link #NONE}) every method returns the no-op observation and nothing is allocated for it.
 * <p>
 * Not part of farine's API: public because every capability observes its handlers and calls through
 * it.
 */
public final class FarineObservations {

	/** No observations: what farine uses when the application has no observation registry. */
	public static final FarineObservations NONE = new FarineObservations(ObservationRegistry.NOOP);

	private final ObservationRegistry registry;

	/** Each kind's key values per service and endpoint; filled here, only read afterwards. */
	private final Map<FarineObservation, EndpointKeys> keys = new EnumMap<>(FarineObservation.class);

	/**
	 * Creates the observations of a registry.
	 * @param registry the application's registry
	 */
	public FarineObservations(ObservationRegistry registry) {
		this.registry = registry;
		for (FarineObservation kind : FarineObservation.values()) {
			this.keys.put(kind, new EndpointKeys(kind.endpointKey()));
		}
	}

	/**
	 * Whether observations are made: callers skip building a headers map for none.
	 * @return {@code false} without a registry
	 */
	public boolean enabled() {
		return !this.registry.isNoop();
	}

	/**
	 * A publish, not started.
	 * @param service the publishing service
	 * @param exchange the exchange
	 * @param routingKey the routing key (a high-cardinality value: spans only)
	 * @param headers the outgoing headers, mutable: the trace context is written into them on start
	 * @return the observation
	 */
	public Observation publish(String service, String exchange, String routingKey, Map<String, Object> headers) {
		return observation(FarineObservation.PUBLISH, () -> sender(headers), service, exchange)
			.highCardinalityKeyValue("routing_key", routingKey);
	}

	/**
	 * A consume, not started.
	 * @param service the consuming service
	 * @param queue the queue
	 * @param headers the delivery's headers, where the trace context is read
	 * @return the observation
	 */
	public Observation consume(String service, String queue, Map<String, Object> headers) {
		if (!enabled()) {
			return Observation.NOOP;
		}
		return observation(FarineObservation.CONSUME, () -> receiver(headers), service, queue);
	}

	/**
	 * An RPC call, not started.
	 * @param service the called service
	 * @param method the called method
	 * @param headers the request's headers, mutable: the trace context is written into them on start
	 * @return the observation
	 */
	public Observation rpcClient(String service, String method, Map<String, Object> headers) {
		return observation(FarineObservation.RPC_CLIENT, () -> sender(headers), service, method);
	}

	/**
	 * An RPC request served, not started.
	 * @param service the serving service
	 * @param method the method
	 * @param headers the request's headers, where the trace context is read
	 * @return the observation
	 */
	public Observation rpcServer(String service, String method, Map<String, Object> headers) {
		if (!enabled()) {
			return Observation.NOOP;
		}
		return observation(FarineObservation.RPC_SERVER, () -> receiver(headers), service, method);
	}

	/**
	 * An SSE event handled, not started.
	 * @param service the service
	 * @param method the listener method
	 * @return the observation
	 */
	public Observation sse(String service, String method) {
		return handler(FarineObservation.SSE, service, method);
	}

	/**
	 * An {@code @Execute} run, not started.
	 * @param service the service
	 * @param method the method
	 * @return the observation
	 */
	public Observation execute(String service, String method) {
		return handler(FarineObservation.EXECUTE, service, method);
	}

	/**
	 * A cluster event handled by an {@code @OnEvent} method, not started.
	 * @param service the service
	 * @param method the method
	 * @return the observation
	 */
	public Observation event(String service, String method) {
		return handler(FarineObservation.EVENT, service, method);
	}

	/**
	 * A cluster query answered by an {@code @OnQuery} method, not started.
	 * @param service the service
	 * @param method the method
	 * @return the observation
	 */
	public Observation query(String service, String method) {
		return handler(FarineObservation.QUERY, service, method);
	}

	/** An observation of a handler method that carries no trace context in. */
	private Observation handler(FarineObservation kind, String service, String method) {
		if (!enabled()) {
			return Observation.NOOP;
		}
		return observation(kind, Observation.Context::new, service, method);
	}

	/** An observation tagged with its service and endpoint (its exchange, queue or method). */
	private Observation observation(FarineObservation kind, Supplier<Observation.Context> context, String service,
			String endpoint) {
		Observation observation = Observation.createNotStarted(null, kind.convention(), context, this.registry);
		if (observation.isNoop()) {
			// no registry, or a predicate turned it off: nothing reads its key values
			return observation;
		}
		return observation.lowCardinalityKeyValues(this.keys.get(kind).of(service, endpoint));
	}

	private static SenderContext<Map<String, Object>> sender(Map<String, Object> headers) {
		SenderContext<Map<String, Object>> context = new SenderContext<>(Map::put);
		context.setCarrier(headers);
		return context;
	}

	private static ReceiverContext<Map<String, Object>> receiver(Map<String, Object> headers) {
		ReceiverContext<Map<String, Object>> context = new ReceiverContext<>((carrier, key) -> {
			Object value = carrier.get(key);
			return (value != null) ? value.toString() : null;
		});
		context.setCarrier(headers);
		return context;
	}

}
