package io.farine.registry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.farine.amqp.Broker;
import io.farine.config.FarineProperties;
import io.farine.config.RegistrySettings;
import io.farine.service.JsonCodec;
import tools.jackson.databind.ObjectMapper;
import io.farine.service.ServiceEndpoints;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;

/**
 * The etcd registry (DESIGN.md section 6). Once the application is ready, each running service is
 * put under {@code <prefix>/<service>/<instance id>} (and, with {@code skydns_domain}, as a SkyDNS
 * record), all on one lease per process kept alive in the background. If the lease is lost, it
 * grants a new one and registers again as soon as etcd answers; graceful shutdown revokes it, so
 * the entries vanish at once. Lookups are answered from a cache a watch keeps current, loaded
 * again whenever the watch breaks or is compacted. Without etcd configured it is {@code OFF}.
 */
public final class EtcdServiceRegistry implements ServiceRegistry, SmartLifecycle,
		ApplicationListener<ApplicationReadyEvent> {

	/**
	 * Starts before the AMQP runtimes and the outbox relay and stops after them: entry points
	 * stop, the outbox is flushed, then the registration goes.
	 */
	public static final int PHASE = io.farine.amqp.AmqpRuntime.PHASE - 2;

	private static final Log logger = LogFactory.getLog(EtcdServiceRegistry.class);

	static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);

	/** When etcd last confirmed the lease alive ({@link System#nanoTime()}), on the registry's thread. */
	private volatile long aliveAt;

	static final long FIRST_RETRY_MILLIS = 250;

	static final long MAX_RETRY_MILLIS = 2000;

	/** What this process registers. */
	private final LocalInstances local;

	/** The keys and values of those registrations. */
	private final EtcdEntries entryWriter;

	private final FarineProperties properties;

	private final ObjectMapper mapper;

	private final String instanceId = Broker.newId();

	private final Instant startTime = Instant.now();

	/** The discovery cache, once etcd is configured. */
	private volatile @Nullable InstanceWatch watch;

	private final List<RegistryListener> listeners = new CopyOnWriteArrayList<>();

	private final AtomicInteger grants = new AtomicInteger();

	private RegistrySettings.@Nullable Etcd etcd;

	private @Nullable Client client;

	private @Nullable ScheduledExecutorService executor;

	private volatile Map<String, String> entries = Map.of();

	private volatile RegistryState state = RegistryState.OFF;

	private volatile long leaseId;

	private volatile @Nullable CloseableClient keepAlive;

	private volatile boolean running;

	private volatile boolean stopping;

	private long registerDelay = FIRST_RETRY_MILLIS;

	/**
	 * Creates the registry; it connects when started.
	 * @param endpoints what the services serve, for their entry points
	 * @param properties the configuration
	 * @param environment the web server's port and the application's version
	 * @param codec writes and reads registrations
	 */
	public EtcdServiceRegistry(ServiceEndpoints endpoints, FarineProperties properties, Environment environment,
			JsonCodec codec) {
		this.properties = properties;
		this.local = new LocalInstances(endpoints, properties, environment, this.instanceId);
		this.entryWriter = new EtcdEntries(this.local, properties, codec.mapper(), this.instanceId, this.startTime);
		this.mapper = codec.mapper();
	}

	@Override
	public void start() {
		this.running = true;
		this.etcd = this.entryWriter.connection();
		if (this.etcd == null) {
			logger.debug("No etcd_endpoints or etcd_dns configured: the service registry is off");
			return;
		}
		this.client = EtcdClients.create(this.etcd);
		this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "farine-registry");
			thread.setDaemon(true);
			return thread;
		});
		this.state = RegistryState.REGISTERING;
		InstanceWatch cache = new InstanceWatch(this.client, this.etcd, this.mapper, new InstanceWatch.Tasks() {

			@Override
			public void execute(Runnable task) {
				EtcdServiceRegistry.this.execute(task);
			}

			@Override
			public void schedule(Runnable task, long delayMillis) {
				EtcdServiceRegistry.this.schedule(task, delayMillis);
			}

		}, () -> this.stopping, this.listeners);
		this.watch = cache;
		this.executor.execute(cache::sync);
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		ScheduledExecutorService current = this.executor;
		if (this.etcd == null || current == null || this.stopping) {
			return;
		}
		this.entries = this.entryWriter.entries(this.etcd);
		current.execute(this::register);
	}

	@Override
	public void stop() {
		this.stopping = true;
		this.running = false;
		ScheduledExecutorService current = this.executor;
		if (current == null) {
			return;
		}
		current.shutdownNow();
		try {
			// a registration in flight ends (or is interrupted) before its lease is revoked
			current.awaitTermination(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		InstanceWatch cache = this.watch;
		if (cache != null) {
			cache.close();
		}
		closeKeepAlive();
		Client etcdClient = this.client;
		if (etcdClient != null) {
			long lease = this.leaseId;
			if (lease != 0) {
				try {
					etcdClient.getLeaseClient().revoke(lease).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
					logger.info("Revoked lease " + Long.toHexString(lease) + ": the registrations of instance "
							+ this.instanceId + " are gone");
				}
				catch (Exception ex) {
					logger.warn("Could not revoke lease " + Long.toHexString(lease) + " (" + ex.getMessage()
							+ "); the registrations vanish when its TTL runs out");
				}
			}
			etcdClient.close();
		}
		this.state = RegistryState.STOPPED;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

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

	@Override
	public RegistryState state() {
		return this.state;
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
		return this.grants.get();
	}

	/**
	 * Where etcd is, for messages and health: the endpoints, or the SRV domain.
	 * @return a description, or {@code null} when the registry is off
	 */
	public @Nullable String etcdDescription() {
		RegistrySettings.Etcd current = this.etcd;
		return (current != null) ? current.toString() : null;
	}

	// registration

	private void register() {
		Client etcdClient = this.client;
		RegistrySettings.Etcd settings = this.etcd;
		if (this.stopping || etcdClient == null || settings == null) {
			return;
		}
		boolean again = this.grants.get() > 0;
		if (this.entries.isEmpty()) {
			this.state = RegistryState.REGISTERED;
			return;
		}
		try {
			long lease = etcdClient.getLeaseClient()
				.grant(settings.ttl().getSeconds())
				.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
				.getID();
			this.grants.incrementAndGet();
			// known before the first put, so a shutdown racing with this registration revokes it
			this.leaseId = lease;
			PutOption onLease = PutOption.builder().withLeaseId(lease).build();
			for (Map.Entry<String, String> entry : this.entries.entrySet()) {
				etcdClient.getKVClient()
					.put(bytes(entry.getKey()), bytes(entry.getValue()), onLease)
					.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
			this.aliveAt = System.nanoTime();
			keepAlive(lease);
			this.state = RegistryState.REGISTERED;
			this.registerDelay = FIRST_RETRY_MILLIS;
			logger.info((again ? "Registered again: " : "Registered ") + registeredServices() + " as instance "
					+ this.instanceId + " in etcd " + settings + " (lease " + Long.toHexString(lease) + ", TTL "
					+ settings.ttl().getSeconds() + " s)");
		}
		catch (Exception ex) {
			if (this.stopping) {
				return;
			}
			this.state = RegistryState.REGISTERING;
			logger.warn("Could not register in etcd " + settings + " (" + rootMessage(ex) + "); trying "
					+ registeredServices() + " again in " + this.registerDelay + " ms");
			schedule(this::register, this.registerDelay);
			this.registerDelay = Math.min(MAX_RETRY_MILLIS, this.registerDelay * 2);
		}
	}

	private void keepAlive(long lease) {
		Client etcdClient = this.client;
		if (etcdClient == null) {
			return;
		}
		closeKeepAlive();
		this.keepAlive = etcdClient.getLeaseClient().keepAlive(lease, new StreamObserver<>() {

			@Override
			public void onNext(LeaseKeepAliveResponse response) {
				if (response.getTTL() <= 0) {
					execute(() -> leaseLost(lease, "etcd answered that it expired"));
				}
				else {
					EtcdServiceRegistry.this.aliveAt = System.nanoTime();
				}
			}

			@Override
			public void onError(Throwable error) {
				execute(() -> checkLease(lease, rootMessage(error)));
			}

			@Override
			public void onCompleted() {
				// jetcd ends the stream without an error when no answer came before the TTL (DESIGN.md section 8)
				execute(() -> checkLease(lease, "the keep-alive stream ended"));
			}

		});
	}

	/** The keep-alive stream broke: keep the lease if it still lives, else register again. */
	private void checkLease(long lease, String why) {
		Client etcdClient = this.client;
		if (this.stopping || lease != this.leaseId || etcdClient == null) {
			return;
		}
		try {
			long ttl = etcdClient.getLeaseClient()
				.timeToLive(lease, LeaseOption.DEFAULT)
				.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
				.getTTL();
			if (ttl > 0) {
				logger.info("Keep-alive of lease " + Long.toHexString(lease) + " broke (" + why + ") but the lease lives ("
						+ ttl + " s left); keeping it alive again");
				this.aliveAt = System.nanoTime();
				keepAlive(lease);
				return;
			}
			leaseLost(lease, why);
		}
		catch (Exception ex) {
			// etcd did not answer: the lease may well live (a restart, a blip), until its TTL has passed
			RegistrySettings.Etcd settings = this.etcd;
			long ttlNanos = (settings != null) ? settings.ttl().toNanos() : 0;
			if (System.nanoTime() - this.aliveAt < ttlNanos) {
				logger.info("Could not check lease " + Long.toHexString(lease) + " (" + why + "; " + rootMessage(ex)
						+ "); it may still live, checking again in " + FIRST_RETRY_MILLIS + " ms");
				schedule(() -> checkLease(lease, why), FIRST_RETRY_MILLIS);
				return;
			}
			leaseLost(lease, why + "; " + rootMessage(ex));
		}
	}

	private void leaseLost(long lease, String why) {
		if (this.stopping || lease != this.leaseId) {
			return;
		}
		this.leaseId = 0;
		this.state = RegistryState.REGISTERING;
		closeKeepAlive();
		logger.warn("Lease " + Long.toHexString(lease) + " of " + registeredServices() + " is lost (" + why
				+ "); registering again as soon as etcd answers");
		register();
	}

	private void closeKeepAlive() {
		CloseableClient current = this.keepAlive;
		this.keepAlive = null;
		if (current != null) {
			try {
				current.close();
			}
			catch (RuntimeException ex) {
				logger.debug("Error closing a keep-alive", ex);
			}
		}
	}

	private String registeredServices() {
		return "services " + this.local.services();
	}

	private void execute(Runnable task) {
		ScheduledExecutorService current = this.executor;
		if (current != null && !current.isShutdown()) {
			try {
				current.execute(task);
			}
			catch (RuntimeException ex) {
				logger.debug("Registry task refused during shutdown", ex);
			}
		}
	}

	private void schedule(Runnable task, long delayMillis) {
		ScheduledExecutorService current = this.executor;
		if (current != null && !current.isShutdown()) {
			try {
				current.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
			}
			catch (RuntimeException ex) {
				logger.debug("Registry task refused during shutdown", ex);
			}
		}
	}

	private static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

	static String rootMessage(Throwable error) {
		Throwable root = error;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getClass().getSimpleName() + ": " + root.getMessage();
	}

}
