package io.farine.dev;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.farine.config.FarineProperties;
import io.farine.registry.LocalInstances;
import io.farine.registry.RegistryListener;
import io.farine.registry.RegistryState;
import io.farine.registry.ServiceInstance;
import io.farine.registry.ServiceRegistry;
import io.farine.service.ServiceEndpoints;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;

/**
 * The registry of one process, standing in for etcd during development when the configured etcd
 * is on a loopback address, does not answer, and no {@code etcd} binary is on the PATH: this
 * process's running services appear once the application is ready and disappear when it stops.
 * Other processes do not see them.
 */
final class InProcessServiceRegistry implements ServiceRegistry, SmartLifecycle,
		ApplicationListener<ApplicationReadyEvent> {

	private final ServiceEndpoints endpoints;

	private final FarineProperties properties;

	private final Environment environment;

	private final String instanceId = UUID.randomUUID().toString().replace("-", "");

	private final Map<String, List<ServiceInstance>> instances = new ConcurrentHashMap<>();

	private final List<RegistryListener> listeners = new CopyOnWriteArrayList<>();

	private volatile RegistryState state = RegistryState.OFF;

	InProcessServiceRegistry(ServiceEndpoints endpoints, FarineProperties properties, Environment environment) {
		this.endpoints = endpoints;
		this.properties = properties;
		this.environment = environment;
	}

	@Override
	public void start() {
		this.state = RegistryState.REGISTERING;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		if (this.state != RegistryState.REGISTERING) {
			return;
		}
		Instant started = Instant.now();
		LocalInstances local = new LocalInstances(this.endpoints, this.properties, this.environment, this.instanceId);
		for (String service : local.services()) {
			change(service, List.of(local.instance(service, "127.0.0.1", started)));
		}
		this.state = RegistryState.REGISTERED;
	}

	private void change(String service, List<ServiceInstance> now) {
		if (now.isEmpty()) {
			this.instances.remove(service);
		}
		else {
			this.instances.put(service, now);
		}
		this.listeners.forEach((listener) -> listener.changed(service, now));
	}

	@Override
	public void stop() {
		List.copyOf(this.instances.keySet()).forEach((service) -> change(service, List.of()));
		this.state = RegistryState.STOPPED;
	}

	@Override
	public boolean isRunning() {
		return this.state == RegistryState.REGISTERING || this.state == RegistryState.REGISTERED;
	}

	@Override
	public List<ServiceInstance> instances(String service) {
		return this.instances.getOrDefault(service, List.of());
	}

	@Override
	public Map<String, List<ServiceInstance>> services() {
		return new TreeMap<>(this.instances);
	}

	@Override
	public Runnable addListener(RegistryListener listener) {
		this.listeners.add(listener);
		return () -> this.listeners.remove(listener);
	}

	/**
	 * Never: other processes' services are not known here, so an empty lookup must not make an RPC
	 * call fail at once.
	 */
	@Override
	public boolean synced() {
		return false;
	}

	@Override
	public RegistryState state() {
		return this.state;
	}

}
