package io.farine.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.etcd.jetcd.Client;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;

import io.farine.config.FarineProperties;
import io.farine.config.RegistrySettings;
import io.farine.service.FarinePhases;
import io.farine.service.FarineThreads;
import io.farine.service.JsonCodec;
import io.farine.service.ServiceEndpoints;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.Environment;

/**
 * The etcd registry (docs/registry.md). Once the application is ready, each running service is
 * put under {@code <prefix>/<service>/<instance id>} (and, with {@code skydns_domain}, as a SkyDNS
 * record), all on one lease per process ({@link LeaseKeeper}); graceful shutdown revokes it, so
 * the entries vanish at once. A service may change its tags while it runs, and the process may
 * register backends it does not run, on the same lease (smokesignal's {@code register}). Lookups
 * are answered from a cache a watch keeps current ({@link InstanceWatch}), and member events, with
 * the members that left or failed, come from its changes ({@link Membership}). Every etcd callback
 * runs on one thread ({@link RegistryTasks}). Without etcd configured it is {@code OFF}.
 */
public final class EtcdServiceRegistry implements ServiceRegistry, SmartLifecycle, ApplicationListener<ApplicationEvent> {

	static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);

	private static final Log logger = LogFactory.getLog(EtcdServiceRegistry.class);

	private final FarineThreads threads;

	/** What this process registers. */
	private final LocalInstances local;

	/** The keys and values of those registrations. */
	private final EtcdEntries entryWriter;

	private final ObjectMapper mapper;

	private final FarineProperties properties;

	private final String instanceId = ServiceInstance.newInstanceId();

	private final Instant startTime = Instant.now();

	private final List<RegistryListener> listeners = new CopyOnWriteArrayList<>();

	private final List<Consumer<MemberEvent>> memberListeners = new CopyOnWriteArrayList<>();

	/** How long members that left or failed are kept ({@code member_reap}). */
	private final Duration memberReap;

	/** Tags a service set while running, by service; they replace its configured {@code tags}. */
	private final Map<String, List<String>> tags = new ConcurrentHashMap<>();

	/** Backends this process registers for others, by service and instance id. */
	private final Map<String, ServiceInstance> backends = new ConcurrentHashMap<>();

	private RegistrySettings.@Nullable Etcd etcd;

	private @Nullable Client client;

	private @Nullable RegistryTasks tasks;

	/** The discovery cache, once etcd is configured. */
	private volatile @Nullable InstanceWatch watch;

	private volatile @Nullable LeaseKeeper keeper;

	/** Member events, and the members that left or failed, once etcd is configured. */
	private volatile @Nullable Membership membership;

	private volatile @Nullable ForceLeave forceLeave;

	private volatile boolean running;

	private volatile boolean stopping;

	private volatile boolean stopped;

	/** Set when the application begins to close: the entries say {@code leaving} until the lease goes. */
	private volatile boolean leaving;

	/**
	 * Creates the registry; it connects when started.
	 * @param endpoints what the services serve, for their entry points
	 * @param properties the configuration
	 * @param environment the web server's port and the application's version
	 * @param codec writes and reads registrations
	 * @param threads makes the registry's thread
	 */
	public EtcdServiceRegistry(ServiceEndpoints endpoints, FarineProperties properties, Environment environment,
			JsonCodec codec, FarineThreads threads) {
		this.threads = threads;
		this.local = new LocalInstances(endpoints, properties, environment, this.instanceId);
		this.entryWriter = new EtcdEntries(this.local, properties, codec.mapper(), this.instanceId, this.startTime);
		this.mapper = codec.mapper();
		this.properties = properties;
		this.memberReap = properties.registry("").memberReap();
	}

	@Override
	public void start() {
		this.running = true;
		RegistrySettings.Etcd settings = this.entryWriter.connection();
		this.etcd = settings;
		if (settings == null) {
			logger.debug("No etcd_endpoints or etcd_dns configured: the service registry is off");
			return;
		}
		Client etcdClient = EtcdClients.create(settings);
		this.client = etcdClient;
		RegistryTasks thread = new RegistryTasks(this.threads);
		this.tasks = thread;
		this.keeper = new LeaseKeeper(etcdClient, settings, thread, () -> this.stopping, this::entries,
				() -> "services " + this.local.services() + " as instance " + this.instanceId);
		Membership members = new Membership(this.memberReap, thread, this.memberListeners);
		this.membership = members;
		InstanceWatch cache = new InstanceWatch(etcdClient, settings, this.mapper, thread, () -> this.stopping,
				this.listeners, members);
		this.watch = cache;
		this.forceLeave = new ForceLeave(etcdClient, settings, this.mapper, thread, members);
		thread.execute(cache::sync);
	}

	/**
	 * Registers once the application is ready; marks the entries {@code leaving} as soon as it
	 * begins to close, before anything stops, so that queries stop waiting for this instance.
	 */
	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		RegistryTasks thread = this.tasks;
		LeaseKeeper lease = this.keeper;
		if (thread == null || lease == null || this.stopping) {
			return;
		}
		if (event instanceof ApplicationReadyEvent) {
			thread.execute(lease::register);
		}
		else if (event instanceof ContextClosedEvent closed && closed.getApplicationContext().getParent() == null
				&& !this.leaving) {
			this.leaving = true;
			java.util.concurrent.CompletableFuture<Void> written = new java.util.concurrent.CompletableFuture<>();
			thread.execute(() -> {
				entries().forEach(lease::update);
				written.complete(null);
			});
			try {
				written.get(CALL_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
			}
			catch (Exception ex) {
				logger.debug("Could not mark the registrations leaving before stopping", ex);
			}
		}
	}

	@Override
	public void stop() {
		this.stopping = true;
		this.running = false;
		RegistryTasks thread = this.tasks;
		if (thread == null) {
			return;
		}
		// a registration in flight ends (or is interrupted) before its lease is revoked
		thread.shutdown(CALL_TIMEOUT);
		InstanceWatch cache = this.watch;
		if (cache != null) {
			cache.close();
		}
		LeaseKeeper lease = this.keeper;
		if (lease != null) {
			lease.revoke(this.instanceId);
		}
		Client etcdClient = this.client;
		if (etcdClient != null) {
			etcdClient.close();
		}
		this.stopped = true;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// stops after the entry points and the outbox relay: the registration goes last
		return FarinePhases.REGISTRY;
	}

	/** Every key and value this process keeps on its lease now: its services (tags as set) and its backends. */
	private Map<String, String> entries() {
		RegistrySettings.Etcd settings = this.etcd;
		if (settings == null) {
			return Map.of();
		}
		Map<String, String> entries = new LinkedHashMap<>(this.entryWriter.entries(settings, this.tags,
				this.leaving ? ServiceInstance.LEAVING : ServiceInstance.ALIVE));
		this.backends.values().forEach((backend) -> entries.putAll(this.entryWriter.entries(settings, backend)));
		return entries;
	}

	// the process's own registrations, changed while it runs

	/**
	 * Replaces the tags of one of this process's services; other processes see the change as
	 * they see a registration.
	 * @param service a service this process runs
	 * @param newTags the tags, such as {@code role=db}
	 * @throws IllegalArgumentException if this process does not run the service
	 */
	public void tags(String service, String... newTags) {
		if (!this.local.services().contains(service)) {
			throw new IllegalArgumentException("This process does not run service '" + service + "'; it runs "
					+ this.local.services());
		}
		this.tags.put(service, List.of(newTags));
		onRegistryThread((lease) -> entries().forEach(lease::update));
	}

	/**
	 * The tags of one of this process's services now: those set with {@link #tags(String, String...)}
	 * while it runs, else its configured {@code tags}.
	 * @param service a service this process runs
	 * @return its tags
	 */
	public List<String> tags(String service) {
		List<String> set = this.tags.get(service);
		return (set != null) ? set : this.local.configuredTags(service);
	}

	/**
	 * Starts a backend of a service this process does not run (smokesignal's {@code register(name,
	 * host, port, ...)}), from that service's registry settings:
	 * {@code registry.backend("legacy").host("10.1.2.3").port(9999).subdomain("eu").register()}.
	 * @param service the service it belongs to (smokesignal's {@code name})
	 * @return the backend to complete and {@link ServiceInstance.Backend#register() register}
	 * @throws io.farine.config.InvalidSettingException if the service's registry keys are not valid
	 */
	public ServiceInstance.Backend backend(String service) {
		return new ServiceInstance.Backend(service, this.properties.registry(service), (instance) -> {
			register(instance);
			return instance;
		});
	}

	/**
	 * Registers a backend this process does not run (smokesignal's {@code register}), on this
	 * process's lease, with a SkyDNS record where its service sets {@code skydns_domain}: it goes
	 * when the process goes, or with {@link #deregister}.
	 * @param backend the backend, with its own service name and instance id
	 * @throws IllegalStateException if the registry is off
	 */
	public void register(ServiceInstance backend) {
		Map<String, String> entries = this.entryWriter.entries(on(), backend);
		this.backends.put(backend.service() + "/" + backend.instanceId(), backend);
		onRegistryThread((lease) -> entries.forEach(lease::update));
	}

	/**
	 * Removes a backend registered with {@link #register(ServiceInstance)}.
	 * @param backend the backend
	 */
	public void deregister(ServiceInstance backend) {
		if (this.backends.remove(backend.service() + "/" + backend.instanceId()) != null) {
			Map<String, String> entries = this.entryWriter.entries(on(), backend);
			onRegistryThread((lease) -> entries.keySet().forEach(lease::delete));
		}
	}

	private RegistrySettings.Etcd on() {
		RegistrySettings.Etcd settings = this.etcd;
		if (settings == null) {
			throw new IllegalStateException("The service registry is off (no etcd_endpoints or etcd_dns): nothing "
					+ "can be registered");
		}
		return settings;
	}

	private void onRegistryThread(java.util.function.Consumer<LeaseKeeper> change) {
		RegistryTasks thread = this.tasks;
		LeaseKeeper lease = this.keeper;
		if (thread != null && lease != null) {
			thread.execute(() -> change.accept(lease));
		}
	}

	// lookups

	@Override
	public List<ServiceInstance> instances(String service) {
		InstanceWatch cache = this.watch;
		return (cache != null) ? cache.instances(service) : List.of();
	}

	@Override
	public Map<String, List<ServiceInstance>> services() {
		Map<String, List<ServiceInstance>> all = new TreeMap<>();
		InstanceWatch cache = this.watch;
		for (String service : (cache != null) ? cache.services() : Set.<String>of()) {
			List<ServiceInstance> instances = instances(service);
			if (!instances.isEmpty()) {
				all.put(service, instances);
			}
		}
		return all;
	}

	@Override
	public Runnable addListener(RegistryListener listener) {
		this.listeners.add(listener);
		return () -> this.listeners.remove(listener);
	}

	/** The live instances, then those that left or failed less than {@code member_reap} ago. */
	@Override
	public List<ServiceInstance> members() {
		List<ServiceInstance> all = new ArrayList<>(ServiceRegistry.super.members());
		Membership members = this.membership;
		if (members != null) {
			all.addAll(members.gone());
		}
		all.sort(Membership.ORDER);
		return List.copyOf(all);
	}

	@Override
	public Runnable addMemberListener(Consumer<MemberEvent> listener) {
		this.memberListeners.add(listener);
		return () -> this.memberListeners.remove(listener);
	}

	/**
	 * Removes the registrations of another instance, which every process then sees leave (Serf's
	 * {@code force-leave}); those of its members that failed already count as left. For a process
	 * that was killed or hangs, whose lease would otherwise keep it listed until its TTL runs out.
	 * Waits for etcd.
	 * @param instanceId the instance
	 * @return the members removed or marked left, status {@code left}; empty if the registry knows
	 * no such instance
	 * @throws IllegalArgumentException if the instance is this process
	 * @throws IllegalStateException if the registry is off or etcd does not answer
	 */
	@Override
	public List<ServiceInstance> forceLeave(String instanceId) {
		if (this.instanceId.equals(instanceId)) {
			throw new IllegalArgumentException("Instance " + instanceId + " is this process: stop it instead of "
					+ "forcing it out");
		}
		on();
		ForceLeave forcing = this.forceLeave;
		if (forcing == null) {
			throw new IllegalStateException("The service registry is not started: nothing can be forced out");
		}
		return forcing.remove(instanceId);
	}

	@Override
	public RegistryState state() {
		LeaseKeeper lease = this.keeper;
		if (this.stopped) {
			return RegistryState.STOPPED;
		}
		if (lease == null) {
			return RegistryState.OFF;
		}
		return lease.registered() ? RegistryState.REGISTERED : RegistryState.REGISTERING;
	}

	@Override
	public boolean synced() {
		InstanceWatch cache = this.watch;
		return cache != null && cache.synced();
	}

	/**
	 * The id this process registers its services under.
	 * @return the instance id
	 */
	public String instanceId() {
		return this.instanceId;
	}

	/**
	 * How many leases this process was granted: 1 while the first one lives, more after it was lost.
	 * @return the number of leases granted
	 */
	public int leasesGranted() {
		LeaseKeeper lease = this.keeper;
		return (lease != null) ? lease.grants() : 0;
	}

	/**
	 * Where etcd is, for messages and health: the endpoints, or the SRV domain.
	 * @return a description, or {@code null} when the registry is off
	 */
	public @Nullable String etcdDescription() {
		RegistrySettings.Etcd current = this.etcd;
		return (current != null) ? current.toString() : null;
	}

	/** The innermost cause for logs, its type named short: gRPC's {@code StatusRuntimeException: UNAVAILABLE: ...}. */
	static String rootMessage(Throwable error) {
		Throwable root = NestedExceptionUtils.getMostSpecificCause(error);
		return root.getClass().getSimpleName() + ": " + root.getMessage();
	}

}
