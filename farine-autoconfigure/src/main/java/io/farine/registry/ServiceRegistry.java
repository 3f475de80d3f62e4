package io.farine.registry;

import java.util.List;
import java.util.Map;

/**
 * Who is alive: the live instances of every service registered in etcd, answered from a local
 * cache that a watch keeps current (no etcd round trip per lookup). Inject it to discover
 * services; farine's RPC clients use it to fail at once when a service has no live instance.
 */
public interface ServiceRegistry {

	/**
	 * The live instances of a service.
	 * @param service the service name
	 * @return its instances, empty if none is alive (or the registry is off)
	 */
	List<ServiceInstance> instances(String service);

	/**
	 * Every live instance of every service: the members of the cluster, with their addresses
	 * and tags. An instance is listed while its lease lives; one that leaves or fails goes.
	 * @return the instances, by service then instance id
	 */
	default List<ServiceInstance> members() {
		return services().values().stream().flatMap(List::stream).toList();
	}

	/**
	 * Every service with at least one live instance.
	 * @return instances by service name
	 */
	Map<String, List<ServiceInstance>> services();

	/**
	 * Adds a listener told of every change.
	 * @param listener the listener
	 * @return removes the listener when run
	 */
	Runnable addListener(RegistryListener listener);

	/**
	 * Whether lookups reflect what etcd holds (the cache is loaded and watched): only then does an
	 * empty lookup mean that no instance is alive.
	 * @return true once loaded, false while etcd has not answered or the registry is off
	 */
	boolean synced();

	/**
	 * What the registry is doing now.
	 * @return the state
	 */
	RegistryState state();

}
