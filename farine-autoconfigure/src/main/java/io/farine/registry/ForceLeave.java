package io.farine.registry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;

import io.farine.config.RegistrySettings;

/**
 * Serf's {@code force-leave}, for an instance an operator knows is gone but whose lease still
 * runs its TTL (a killed or hung process): removes its registrations the way a graceful stop
 * does, so that every process sees it leave rather than fail. Each registration on the
 * instance's lease (its services, and the backends it registered for others) is marked
 * {@code leaving} on that lease, then the lease is revoked; a registration with no lease is
 * deleted. If the instance still runs, its lease keeper sees the lease lost and registers again.
 * Members of the instance that failed already count as left from then on, in this process.
 */
final class ForceLeave {

	private static final Log logger = LogFactory.getLog(ForceLeave.class);

	private final Client client;

	private final RegistrySettings.Etcd settings;

	private final ObjectMapper mapper;

	private final RegistryTasks tasks;

	private final Membership membership;

	ForceLeave(Client client, RegistrySettings.Etcd settings, ObjectMapper mapper, RegistryTasks tasks,
			Membership membership) {
		this.client = client;
		this.settings = settings;
		this.mapper = mapper;
		this.tasks = tasks;
		this.membership = membership;
	}

	/**
	 * Removes the registrations of an instance from etcd, then, on the registry's thread, counts
	 * those of its members that failed already as left.
	 * @param instanceId the instance
	 * @return the members removed or marked left, status {@code left}; empty when the registry
	 * knows none of it
	 * @throws IllegalStateException if etcd does not answer in time
	 */
	List<ServiceInstance> remove(String instanceId) {
		List<ServiceInstance> removed = new ArrayList<>(removeFromEtcd(instanceId));
		CompletableFuture<List<ServiceInstance>> marked = new CompletableFuture<>();
		this.tasks.execute(() -> marked.complete(this.membership.forceLeft(instanceId)));
		try {
			removed.addAll(marked.get(EtcdServiceRegistry.CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.warn("Could not mark the failed members of instance " + instanceId + " left: "
					+ EtcdServiceRegistry.rootMessage(ex));
		}
		removed.sort(Membership.ORDER);
		return List.copyOf(removed);
	}

	private List<ServiceInstance> removeFromEtcd(String instanceId) {
		KV kv = this.client.getKVClient();
		String prefix = this.settings.prefix() + "/";
		try {
			List<KeyValue> all = kv.get(bytes(prefix), GetOption.builder().isPrefix(true).build())
				.get(EtcdServiceRegistry.CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
				.getKvs();
			Set<Long> leases = new LinkedHashSet<>();
			List<KeyValue> targets = new ArrayList<>();
			for (KeyValue entry : all) {
				String[] path = entry.getKey().toString(StandardCharsets.UTF_8).substring(prefix.length()).split("/");
				if (path.length == 2 && path[1].equals(instanceId)) {
					targets.add(entry);
					if (entry.getLease() != 0) {
						leases.add(entry.getLease());
					}
				}
			}
			for (KeyValue entry : all) {
				if (entry.getLease() != 0 && leases.contains(entry.getLease()) && !targets.contains(entry)) {
					targets.add(entry);
				}
			}
			List<ServiceInstance> removed = new ArrayList<>();
			for (KeyValue entry : targets) {
				ServiceInstance member = read(entry);
				if (member == null) {
					continue;
				}
				kv.put(entry.getKey(), bytes(this.mapper.writeValueAsString(member.withStatus(ServiceInstance.LEAVING))),
						PutOption.builder().withLeaseId(entry.getLease()).build())
					.get(EtcdServiceRegistry.CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
				if (entry.getLease() == 0) {
					kv.delete(entry.getKey()).get(EtcdServiceRegistry.CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
				}
				removed.add(member.withStatus(ServiceInstance.LEFT));
			}
			for (long lease : leases) {
				this.client.getLeaseClient()
					.revoke(lease)
					.get(EtcdServiceRegistry.CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
			if (!removed.isEmpty()) {
				logger.info("Forced instance " + instanceId + " out of the registry: " + removed.stream()
					.map((member) -> member.service() + "/" + member.instanceId())
					.toList());
			}
			return removed;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while forcing instance " + instanceId + " out", ex);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not force instance " + instanceId + " out of the registry in etcd "
					+ this.settings + ": " + EtcdServiceRegistry.rootMessage(ex), ex);
		}
	}

	private @Nullable ServiceInstance read(KeyValue entry) {
		try {
			return this.mapper.readValue(entry.getValue().getBytes(), ServiceInstance.class);
		}
		catch (RuntimeException ex) {
			logger.warn("Leaving registry entry " + entry.getKey().toString(StandardCharsets.UTF_8)
					+ " alone, which is not a farine registration: " + ex.getMessage());
			return null;
		}
	}

	private static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

}
