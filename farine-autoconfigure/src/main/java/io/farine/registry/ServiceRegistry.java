package io.farine.registry;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

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
	 * The members of the cluster, as Serf's {@code members}: every live instance of every service,
	 * with its address, tags and status ({@code alive} or {@code leaving}); the etcd registry adds
	 * those that left or failed (status {@code left} or {@code failed}) less than
	 * {@code member_reap} ago.
	 * @return the instances, by service then instance id
	 */
	default List<ServiceInstance> members() {
		return services().values().stream().flatMap(List::stream).toList();
	}

	/**
	 * The members a filter lets through, as Serf's {@code members} with {@code -name},
	 * {@code -status} and {@code -tag} (regular expressions).
	 * @param filter the filter, such as {@code MemberFilter.all().withTag("role", "db.*")}
	 * @return the members that match, by service then instance id
	 */
	default List<ServiceInstance> members(MemberFilter filter) {
		return members().stream().filter(filter::matches).toList();
	}

	/**
	 * Adds a listener told of each member event (join, leave, failed, update, reap), in order, on
	 * the registry's thread: keep it short.
	 * @param listener the listener
	 * @return removes the listener when run
	 * @throws UnsupportedOperationException if this registry does not tell member events
	 */
	default Runnable addMemberListener(Consumer<MemberEvent> listener) {
		throw new UnsupportedOperationException(getClass().getSimpleName() + " does not tell member events; the etcd "
				+ "registry does (etcd_endpoints)");
	}

	/**
	 * Removes another instance's registrations, so that every process sees it leave (Serf's
	 * {@code force-leave}): for a failed process whose lease still runs.
	 * @param instanceId the instance
	 * @return the members removed, status {@code left}; empty if none has that id
	 * @throws UnsupportedOperationException if this registry cannot force an instance out
	 */
	default List<ServiceInstance> forceLeave(String instanceId) {
		throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot force an instance out; the etcd "
				+ "registry can (etcd_endpoints)");
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
