package io.farine.registry;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

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

import io.farine.config.RegistrySettings;

import org.springframework.util.backoff.BackOffExecution;

/**
 * Keeps this process's registrations in etcd: grants one lease, puts every entry on it, keeps it
 * alive, and when it is lost grants a new one and puts the entries again as soon as etcd
 * answers. Entries are read afresh at each registration, and a change while registered (tags, a
 * backend registered for another process) is put on the live lease at once. Runs on the
 * registry's thread ({@link RegistryTasks}).
 */
final class LeaseKeeper {

	private static final Log logger = LogFactory.getLog(LeaseKeeper.class);

	private final Client client;

	private final RegistrySettings.Etcd settings;

	private final RegistryTasks tasks;

	private final BooleanSupplier stopping;

	/** Every key and value to keep on the lease, read at each registration. */
	private final Supplier<Map<String, String>> entries;

	/** What is registered, for log lines. */
	private final Supplier<String> description;

	private final AtomicInteger grants = new AtomicInteger();

	private volatile long leaseId;

	private volatile @Nullable CloseableClient keepAlive;

	/** When etcd last confirmed the lease alive ({@link System#nanoTime()}). */
	private volatile long aliveAt;

	private volatile boolean registered;

	private BackOffExecution retries = RegistryTasks.retries();

	LeaseKeeper(Client client, RegistrySettings.Etcd settings, RegistryTasks tasks, BooleanSupplier stopping,
			Supplier<Map<String, String>> entries, Supplier<String> description) {
		this.client = client;
		this.settings = settings;
		this.tasks = tasks;
		this.stopping = stopping;
		this.entries = entries;
		this.description = description;
	}

	boolean registered() {
		return this.registered;
	}

	int grants() {
		return this.grants.get();
	}

	/** Grants a lease and puts every entry on it; tries again later while etcd does not answer. */
	void register() {
		if (this.stopping.getAsBoolean()) {
			return;
		}
		boolean again = this.grants.get() > 0;
		Map<String, String> current = this.entries.get();
		if (current.isEmpty()) {
			this.registered = true;
			return;
		}
		try {
			long lease = this.client.getLeaseClient()
				.grant(this.settings.ttl().getSeconds())
				.get(EtcdServiceRegistry.CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
				.getID();
			this.grants.incrementAndGet();
			// known before the first put, so a shutdown racing with this registration revokes it
			this.leaseId = lease;
			for (Map.Entry<String, String> entry : current.entrySet()) {
				put(lease, entry.getKey(), entry.getValue());
			}
			this.aliveAt = System.nanoTime();
			keepAlive(lease);
			this.registered = true;
			this.retries = RegistryTasks.retries();
			logger.info((again ? "Registered again: " : "Registered ") + this.description.get() + " in etcd "
					+ this.settings + " (lease " + Long.toHexString(lease) + ", TTL " + this.settings.ttl().getSeconds()
					+ " s)");
		}
		catch (Exception ex) {
			if (this.stopping.getAsBoolean()) {
				return;
			}
			this.registered = false;
			long delay = this.retries.nextBackOff();
			logger.warn("Could not register in etcd " + this.settings + " (" + EtcdServiceRegistry.rootMessage(ex)
					+ "); trying " + this.description.get() + " again in " + delay + " ms");
			this.tasks.schedule(this::register, delay);
		}
	}

	/**
	 * Puts an entry on the live lease now; without one, the next registration puts it.
	 * @param key the key
	 * @param value the value
	 */
	void update(String key, String value) {
		long lease = this.leaseId;
		if (lease == 0) {
			return;
		}
		try {
			put(lease, key, value);
		}
		catch (Exception ex) {
			logger.warn("Could not update " + key + " in etcd " + this.settings + " ("
					+ EtcdServiceRegistry.rootMessage(ex) + "); the next registration writes it");
		}
	}

	/**
	 * Deletes an entry now.
	 * @param key the key
	 */
	void delete(String key) {
		try {
			this.client.getKVClient()
				.delete(bytes(key))
				.get(EtcdServiceRegistry.CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			logger.warn("Could not delete " + key + " from etcd " + this.settings + " ("
					+ EtcdServiceRegistry.rootMessage(ex) + "); it goes with this process's lease");
		}
	}

	private void put(long lease, String key, String value) throws Exception {
		this.client.getKVClient()
			.put(bytes(key), bytes(value), PutOption.builder().withLeaseId(lease).build())
			.get(EtcdServiceRegistry.CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
	}

	/** Revokes the lease, so every entry goes at once; with the keep-alive closed first. */
	void revoke(String instanceId) {
		closeKeepAlive();
		long lease = this.leaseId;
		if (lease == 0) {
			return;
		}
		try {
			this.client.getLeaseClient()
				.revoke(lease)
				.get(EtcdServiceRegistry.CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			logger.info("Revoked lease " + Long.toHexString(lease) + ": the registrations of instance " + instanceId
					+ " are gone");
		}
		catch (Exception ex) {
			logger.warn("Could not revoke lease " + Long.toHexString(lease) + " (" + ex.getMessage()
					+ "); the registrations vanish when its TTL runs out");
		}
	}

	private void keepAlive(long lease) {
		closeKeepAlive();
		this.keepAlive = this.client.getLeaseClient().keepAlive(lease, new StreamObserver<>() {

			@Override
			public void onNext(LeaseKeepAliveResponse response) {
				if (response.getTTL() <= 0) {
					LeaseKeeper.this.tasks.execute(() -> leaseLost(lease, "etcd answered that it expired"));
				}
				else {
					LeaseKeeper.this.aliveAt = System.nanoTime();
				}
			}

			@Override
			public void onError(Throwable error) {
				LeaseKeeper.this.tasks.execute(() -> checkLease(lease, EtcdServiceRegistry.rootMessage(error)));
			}

			@Override
			public void onCompleted() {
				// jetcd ends the stream without an error when no answer came before the TTL (docs/contributing.md)
				LeaseKeeper.this.tasks.execute(() -> checkLease(lease, "the keep-alive stream ended"));
			}

		});
	}

	/** The keep-alive stream broke: keep the lease if it still lives, else register again. */
	private void checkLease(long lease, String why) {
		if (this.stopping.getAsBoolean() || lease != this.leaseId) {
			return;
		}
		try {
			long ttl = this.client.getLeaseClient()
				.timeToLive(lease, LeaseOption.DEFAULT)
				.get(EtcdServiceRegistry.CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
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
			if (System.nanoTime() - this.aliveAt < this.settings.ttl().toNanos()) {
				logger.info("Could not check lease " + Long.toHexString(lease) + " (" + why + "; "
						+ EtcdServiceRegistry.rootMessage(ex) + "); it may still live, checking again in "
						+ RegistryTasks.FIRST_RETRY_MILLIS + " ms");
				this.tasks.schedule(() -> checkLease(lease, why), RegistryTasks.FIRST_RETRY_MILLIS);
				return;
			}
			leaseLost(lease, why + "; " + EtcdServiceRegistry.rootMessage(ex));
		}
	}

	private void leaseLost(long lease, String why) {
		if (this.stopping.getAsBoolean() || lease != this.leaseId) {
			return;
		}
		this.leaseId = 0;
		this.registered = false;
		closeKeepAlive();
		logger.warn("Lease " + Long.toHexString(lease) + " of " + this.description.get() + " is lost (" + why
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

	private static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

}
