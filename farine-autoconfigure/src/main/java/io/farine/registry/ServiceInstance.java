package io.farine.registry;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

import io.farine.config.RegistrySettings;

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
 * @param category skyapi's category: the sub-domain between the service and the SkyDNS domain,
 * labels separated by commas left to right (absent in JSON written before it existed:
 * {@code services})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ServiceInstance(String service, @JsonProperty("instance_id") String instanceId, String host,
		@Nullable Integer port, String mode, @Nullable String subdomain, @Nullable String uri,
		@JsonProperty("service_port") @Nullable Integer servicePort, int priority, int weight, List<String> tags,
		@JsonProperty("entry_points") EntryPoints entryPoints, @Nullable String version,
		@JsonProperty("start_time") String startTime, @Nullable String status, @Nullable String category) {

	/** The status of an instance whose process runs. */
	public static final String ALIVE = "alive";

	/** The status of an instance whose process is stopping: queries do not wait for it. */
	public static final String LEAVING = "leaving";

	/** skyapi's default category: {@code <service>.services.<domain>}. */
	static final String SERVICES = "services";

	/** The status of an instance that left (it was leaving when its registration went), until reaped. */
	public static final String LEFT = "left";

	/** The status of an instance whose registration went without leaving first, until reaped. */
	public static final String FAILED = "failed";

	public ServiceInstance {
		status = (status == null) ? ALIVE : status;
		category = (category == null) ? SERVICES : category;
	}

	/** The same instance with another status. */
	ServiceInstance withStatus(String newStatus) {
		return new ServiceInstance(this.service, this.instanceId, this.host, this.port, this.mode, this.subdomain,
				this.uri, this.servicePort, this.priority, this.weight, this.tags, this.entryPoints, this.version,
				this.startTime, newStatus, this.category);
	}

	/**
	 * A fresh instance id: a random (version 4) UUID as 32 lower-case hex digits, the form of
	 * every farine id, from the JDK's {@code SecureRandom}.
	 * @return the id
	 */
	static String newInstanceId() {
		return UUID.randomUUID().toString().replace("-", "");
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

	/**
	 * A backend this process registers for another (smokesignal's {@code register(name, host,
	 * port, subdomain=..., uri=..., mode=...)}), from {@code EtcdServiceRegistry.backend(name)}. It
	 * starts from the registry settings of service {@code name} (its section over {@code [DEFAULT]}:
	 * {@code host}, {@code port}, {@code mode}, {@code subdomain}, {@code uri},
	 * {@code service_port}, {@code priority}, {@code weight}, {@code tags}, {@code category}); each
	 * call replaces one of them. {@link #register()} puts it on this process's lease, with a fresh
	 * instance id.
	 */
	public static final class Backend {

		private final String name;

		private final UnaryOperator<ServiceInstance> registry;

		private @Nullable String host;

		private @Nullable Integer port;

		private String mode;

		private @Nullable String subdomain;

		private @Nullable String uri;

		private @Nullable Integer servicePort;

		private int priority;

		private int weight;

		private List<String> tags;

		private String category;

		Backend(String name, RegistrySettings settings, UnaryOperator<ServiceInstance> registry) {
			if (name.isBlank()) {
				throw new IllegalArgumentException("A backend needs the name of its service");
			}
			this.name = name;
			this.registry = registry;
			this.host = settings.host();
			this.port = settings.port();
			this.mode = settings.mode();
			this.subdomain = settings.subdomain();
			this.uri = settings.uri();
			this.servicePort = settings.servicePort();
			this.priority = settings.priority();
			this.weight = settings.weight();
			this.tags = settings.tags();
			this.category = settings.category();
		}

		/** The service it belongs to. */
		String name() {
			return this.name;
		}

		/**
		 * Where the backend runs; required unless the service's section sets {@code host}.
		 * @param host a host name or address
		 * @return this
		 */
		public Backend host(String host) {
			this.host = host;
			return this;
		}

		/**
		 * Its port.
		 * @param port the port
		 * @return this
		 */
		public Backend port(int port) {
			this.port = port;
			return this;
		}

		/**
		 * {@code http} or {@code tcp}.
		 * @param mode the mode
		 * @return this
		 * @throws IllegalArgumentException for any other
		 */
		public Backend mode(String mode) {
			if (!"http".equals(mode) && !"tcp".equals(mode)) {
				throw new IllegalArgumentException("mode = " + mode + " is not valid: expected http or tcp.");
			}
			this.mode = mode;
			return this;
		}

		/**
		 * Its subdomain.
		 * @param subdomain the subdomain, or {@code null} for none
		 * @return this
		 */
		public Backend subdomain(@Nullable String subdomain) {
			this.subdomain = subdomain;
			return this;
		}

		/**
		 * Its URI.
		 * @param uri the URI, or {@code null} for none
		 * @return this
		 */
		public Backend uri(@Nullable String uri) {
			this.uri = uri;
			return this;
		}

		/**
		 * Its service port.
		 * @param servicePort the port, or {@code null} for none
		 * @return this
		 */
		public Backend servicePort(@Nullable Integer servicePort) {
			this.servicePort = servicePort;
			return this;
		}

		/**
		 * Its priority (also in its SkyDNS record).
		 * @param priority the priority
		 * @return this
		 */
		public Backend priority(int priority) {
			this.priority = priority;
			return this;
		}

		/**
		 * Its weight (also in its SkyDNS record).
		 * @param weight the weight
		 * @return this
		 */
		public Backend weight(int weight) {
			this.weight = weight;
			return this;
		}

		/**
		 * Its tags, in place of the service's.
		 * @param tags the tags
		 * @return this
		 */
		public Backend tags(String... tags) {
			this.tags = List.of(tags);
			return this;
		}

		/**
		 * skyapi's category: the sub-domain of its SkyDNS record between the service and the domain.
		 * @param category labels separated by commas, left to right, such as {@code services,production}
		 * @return this
		 * @throws IllegalArgumentException if a label is empty or not made of letters, digits, '-' and '_'
		 */
		public Backend category(String category) {
			this.category = category(category, "category");
			return this;
		}

		/** The category checked, spaces removed; the message names the key or parameter. */
		static String category(String category, String key) {
			String labels = category.replaceAll("\\s", "");
			if (labels.isEmpty() || !Arrays.stream(labels.split("[,.]", -1))
				.allMatch((label) -> label.matches("[A-Za-z0-9_-]+"))) {
				throw new IllegalArgumentException(key + " = '" + category
						+ "' is not valid: expected DNS labels separated by commas, such as services,production");
			}
			return labels;
		}

		/**
		 * Registers the backend on this process's lease, with a fresh instance id: it goes with
		 * {@code EtcdServiceRegistry.deregister(instance)}, or when the process goes.
		 * @return the registered instance
		 * @throws IllegalStateException if no host is given nor configured, or the registry is off
		 */
		public ServiceInstance register() {
			if (this.host == null || this.host.isBlank()) {
				throw new IllegalStateException("Backend of service '" + this.name
						+ "' has no host: call host(...) or set host in [" + this.name + "]");
			}
			return this.registry.apply(new ServiceInstance(this.name, newInstanceId(), this.host, this.port, this.mode,
					this.subdomain, this.uri, this.servicePort, this.priority, this.weight, this.tags,
					new EntryPoints(List.of(), List.of()), null, Instant.now().toString(), ALIVE, this.category));
		}

	}

}
