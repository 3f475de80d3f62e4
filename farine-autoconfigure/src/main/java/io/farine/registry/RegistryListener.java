package io.farine.registry;

import java.util.List;

/**
 * Told when the live instances of a service change. Runs on the registry's thread: keep it short.
 */
@FunctionalInterface
public interface RegistryListener {

	/**
	 * The instances of a service changed.
	 * @param service the service
	 * @param instances its live instances now (empty when the last one went away)
	 */
	void changed(String service, List<ServiceInstance> instances);

}
