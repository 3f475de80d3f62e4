package io.farine.registry;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * One live instance of a service, as registered in etcd under
 * {@code <prefix>/<service>/<instance id>} (docs/registry.md), in JSON with these keys.
 *
 * @param service the service name
 * @param instanceId the instance (one per process)
 * @param host where the instance runs
 * @param port its port, if any
 * @param mode {@code http} or {@code tcp}
 * @param subdomain its subdomain, if any
 * @param uri its URI, if any
 * @param servicePort its service port, if any
 * @param priority its priority
 * @param weight its weight
 * @param tags its tags
 * @param entryPoints what it serves
 * @param version the application's version, if known
 * @param startTime when the process started, ISO-8601
 * @param status {@code alive}, or {@code leaving} once its process began a graceful shutdown
 * (absent in JSON written before it existed: {@code alive}); in {@code members()}, an instance
 * whose registration went is {@code left} (it was leaving) or {@code failed} until it is reaped
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ServiceInstance(String service, @JsonProperty("instance_id") String instanceId, String host,
		@Nullable Integer port, String mode, @Nullable String subdomain, @Nullable String uri,
		@JsonProperty("service_port") @Nullable Integer servicePort, int priority, int weight, List<String> tags,
		@JsonProperty("entry_points") EntryPoints entryPoints, @Nullable String version,
		@JsonProperty("start_time") String startTime, @Nullable String status) {

	/** The status of an instance whose process runs. */
	public static final String ALIVE = "alive";

	/** The status of an instance whose process is stopping: queries do not wait for it. */
	public static final String LEAVING = "leaving";

	/** The status of an instance that left (it was leaving when its registration went), until reaped. */
	public static final String LEFT = "left";

	/** The status of an instance whose registration went without leaving first, until reaped. */
	public static final String FAILED = "failed";

	public ServiceInstance {
		status = (status == null) ? ALIVE : status;
	}

	/** The same instance with another status. */
	ServiceInstance withStatus(String newStatus) {
		return new ServiceInstance(this.service, this.instanceId, this.host, this.port, this.mode, this.subdomain,
				this.uri, this.servicePort, this.priority, this.weight, this.tags, this.entryPoints, this.version,
				this.startTime, newStatus);
	}

	/**
	 * A backend this process registers for another (smokesignal's {@code register(name, host,
	 * port)}): a fresh instance id, {@code tcp}, priority 1, weight 100, no tags, serving nothing
	 * farine knows of.
	 * @param service the service it belongs to
	 * @param host where it runs
	 * @param port its port
	 * @return the instance, for {@code EtcdServiceRegistry.register}
	 */
	public static ServiceInstance backend(String service, String host, int port) {
		return new ServiceInstance(service, io.farine.amqp.Wire.newId(), host, port, "tcp", null, null, null, 1, 100,
				List.of(), new EntryPoints(List.of(), List.of()), null, java.time.Instant.now().toString(), ALIVE);
	}

	/**
	 * What an instance serves.
	 *
	 * @param rpc its RPC method names
	 * @param queues the queues it consumes
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record EntryPoints(List<String> rpc, List<String> queues) {
	}

}
