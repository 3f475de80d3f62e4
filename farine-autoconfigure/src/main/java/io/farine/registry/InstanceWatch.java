package io.farine.registry;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;

import io.farine.config.RegistrySettings;

/**
 * The discovery cache of the etcd registry: every registration under the prefix, loaded once,
 * kept current by a watch from the next revision, and loaded again (with a new watch) when the
 * watch breaks or ends. Callbacks of an older watch are ignored. Runs on the registry's thread;
 * listeners hear of every service whose instances changed, and {@link Membership} of every
 * registration that appeared, changed or went.
 */
final class InstanceWatch {

	/** Runs the watch's work on the registry's thread, now or later; refused quietly once it stops. */
	interface Tasks {

		void execute(Runnable task);

		void schedule(Runnable task, long delayMillis);

	}

	private static final Log logger = LogFactory.getLog(InstanceWatch.class);

	private final Client client;

	private final RegistrySettings.Etcd settings;

	private final ObjectMapper mapper;

	private final Tasks tasks;

	private final BooleanSupplier stopping;

	private final List<RegistryListener> listeners;

	/** Told of each registration that appears, changes or goes: member events, and who left or failed. */
	private final Membership membership;

	/** Replaced whole on each load, changed in place by watch events; both on the registry's thread. */
	private volatile Map<String, Map<String, ServiceInstance>> cache = new ConcurrentHashMap<>();

	/** The watch whose events count; callbacks of an older one (closed, or broken) are ignored. */
	private volatile int generation;

	private volatile Watch.@Nullable Watcher watcher;

	private volatile boolean synced;

	private org.springframework.util.backoff.BackOffExecution syncRetries = RegistryTasks.retries();

	InstanceWatch(Client client, RegistrySettings.Etcd settings, ObjectMapper mapper, Tasks tasks,
			BooleanSupplier stopping, List<RegistryListener> listeners, Membership membership) {
		this.client = client;
		this.settings = settings;
		this.mapper = mapper;
		this.tasks = tasks;
		this.stopping = stopping;
		this.listeners = listeners;
		this.membership = membership;
	}

	boolean synced() {
		return this.synced;
	}

	List<ServiceInstance> instances(String service) {
		Map<String, ServiceInstance> instances = this.cache.get(service);
		return (instances != null) ? List.copyOf(new TreeMap<>(instances).values()) : List.of();
	}

	Set<String> services() {
		return this.cache.keySet();
	}

	void close() {
		Watch.Watcher watching = this.watcher;
		if (watching != null) {
			watching.close();
		}
	}

	void sync() {
		Client etcdClient = this.client;
		RegistrySettings.Etcd settings = this.settings;
		if (this.stopping.getAsBoolean()) {
			return;
		}
		ByteSequence prefix = bytes(settings.prefix() + "/");
		try {
			GetResponse response = etcdClient.getKVClient()
				.get(prefix, GetOption.builder().isPrefix(true).build())
				.get(EtcdServiceRegistry.CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			Map<String, Map<String, ServiceInstance>> loaded = new ConcurrentHashMap<>();
			for (KeyValue kv : response.getKvs()) {
				ServiceInstance instance = read(kv);
				if (instance != null) {
					loaded.computeIfAbsent(instance.service(), (s) -> new ConcurrentHashMap<>())
						.put(instance.instanceId(), instance);
				}
			}
			Set<String> changed = new LinkedHashSet<>(this.cache.keySet());
			changed.addAll(loaded.keySet());
			Map<String, Map<String, ServiceInstance>> before = this.cache;
			this.cache = loaded;
			members(before, loaded);
			int generation = ++this.generation;
			long revision = response.getHeader().getRevision();
			this.watcher = etcdClient.getWatchClient()
				.watch(prefix, WatchOption.builder().isPrefix(true).withRevision(revision + 1).build(),
						new Watch.Listener() {

							@Override
							public void onNext(WatchResponse watched) {
								InstanceWatch.this.tasks.execute(() -> {
									if (generation == InstanceWatch.this.generation) {
										apply(watched);
									}
								});
							}

							@Override
							public void onError(Throwable error) {
								InstanceWatch.this.tasks.execute(() -> resync(generation,
										"the watch failed: " + EtcdServiceRegistry.rootMessage(error)));
							}

							@Override
							public void onCompleted() {
								InstanceWatch.this.tasks.execute(() -> resync(generation, "the watch ended"));
							}

						});
			this.synced = true;
			this.syncRetries = RegistryTasks.retries();
			changed.forEach(this::notifyListeners);
		}
		catch (Exception ex) {
			if (this.stopping.getAsBoolean()) {
				return;
			}
			this.synced = false;
			logger.debug("Could not load the registry from etcd " + settings + ": " + EtcdServiceRegistry.rootMessage(ex));
			this.tasks.schedule(this::sync, this.syncRetries.nextBackOff());
		}
	}

	/** Member events for what a load found changed since the cache before it: the watch saw nothing meanwhile. */
	private void members(Map<String, Map<String, ServiceInstance>> before,
			Map<String, Map<String, ServiceInstance>> loaded) {
		before.forEach((service, instances) -> instances.forEach((id, instance) -> {
			if (!loaded.getOrDefault(service, Map.of()).containsKey(id)) {
				this.membership.deleted(instance);
			}
		}));
		loaded.forEach((service, instances) -> instances
			.forEach((id, instance) -> this.membership.put(before.getOrDefault(service, Map.of()).get(id), instance)));
	}

	/** The watch of a generation broke or ended: load again, once, unless a newer watch already runs. */
	private void resync(int generation, String why) {
		if (this.stopping.getAsBoolean() || generation != this.generation) {
			return;
		}
		this.generation++;
		logger.info("Reloading the service registry cache: " + why);
		Watch.Watcher current = this.watcher;
		this.watcher = null;
		if (current != null) {
			current.close();
		}
		this.synced = false;
		this.tasks.schedule(this::sync, RegistryTasks.FIRST_RETRY_MILLIS);
	}

	/** Applies a watch response to the cache; package-private for tests with synthetic responses. */
	void apply(WatchResponse response) {
		Set<String> changed = new LinkedHashSet<>();
		for (WatchEvent event : response.getEvents()) {
			String[] path = path(event.getKeyValue());
			if (path == null) {
				continue;
			}
			if (event.getEventType() == WatchEvent.EventType.DELETE) {
				Map<String, ServiceInstance> instances = this.cache.get(path[0]);
				ServiceInstance removed = (instances != null) ? instances.remove(path[1]) : null;
				if (removed != null) {
					changed.add(path[0]);
					this.membership.deleted(removed);
				}
			}
			else if (event.getEventType() == WatchEvent.EventType.PUT) {
				ServiceInstance instance = read(event.getKeyValue());
				if (instance != null) {
					ServiceInstance before = this.cache.computeIfAbsent(path[0], (s) -> new ConcurrentHashMap<>())
						.put(path[1], instance);
					changed.add(path[0]);
					this.membership.put(before, instance);
				}
			}
		}
		changed.forEach(this::notifyListeners);
	}

	private void notifyListeners(String service) {
		List<ServiceInstance> instances = instances(service);
		for (RegistryListener listener : this.listeners) {
			try {
				listener.changed(service, instances);
			}
			catch (RuntimeException ex) {
				logger.warn("Registry listener " + listener + " failed", ex);
			}
		}
	}

	/** {@code [service, instance id]} of a registration key, or {@code null} for any other key. */
	private String @Nullable [] path(KeyValue kv) {
		RegistrySettings.Etcd settings = this.settings;
		String key = kv.getKey().toString(StandardCharsets.UTF_8);
		if (!key.startsWith(settings.prefix() + "/")) {
			return null;
		}
		String[] parts = key.substring(settings.prefix().length() + 1).split("/");
		return (parts.length == 2) ? parts : null;
	}

	private @Nullable ServiceInstance read(KeyValue kv) {
		if (path(kv) == null) {
			return null;
		}
		try {
			return this.mapper.readValue(kv.getValue().getBytes(), ServiceInstance.class);
		}
		catch (RuntimeException ex) {
			logger.warn("Ignoring registry entry " + kv.getKey().toString(StandardCharsets.UTF_8)
					+ ", which is not a farine registration: " + ex.getMessage());
			return null;
		}
	}

	private static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

}
