package io.farine.observation;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.micrometer.common.KeyValues;
import io.micrometer.common.docs.KeyName;

/**
 * The low-cardinality key values of one kind of observation for each service and endpoint (its
 * exchange, queue or method), made at the first observation of that endpoint and reused: a
 * {@link KeyValues} is immutable, so the observed path only looks them up instead of making and
 * sorting them again for every message. There are as many entries as endpoints, the same bound
 * as the timers a meter registry keeps for them.
 */
final class EndpointKeys {

	private final KeyName endpointKey;

	private final ConcurrentMap<String, ConcurrentMap<String, KeyValues>> services = new ConcurrentHashMap<>();

	/**
	 * Creates the key values of one kind.
	 * @param endpointKey the key naming the endpoint: exchange, queue or method
	 */
	EndpointKeys(KeyName endpointKey) {
		this.endpointKey = endpointKey;
	}

	/**
	 * The key values of an endpoint: its service and its exchange, queue or method.
	 * @param service the service
	 * @param endpoint the exchange, queue or method
	 * @return the key values, the same instance at every call
	 */
	KeyValues of(String service, String endpoint) {
		// get before computeIfAbsent: the lambdas capture, and the entry exists at every call but the first
		ConcurrentMap<String, KeyValues> endpoints = this.services.get(service);
		if (endpoints == null) {
			endpoints = this.services.computeIfAbsent(service, (name) -> new ConcurrentHashMap<>());
		}
		KeyValues keys = endpoints.get(endpoint);
		if (keys == null) {
			keys = endpoints.computeIfAbsent(endpoint, (name) -> KeyValues
				.of(FarineObservation.Keys.SERVICE.withValue(service), this.endpointKey.withValue(name)));
		}
		return keys;
	}

}
