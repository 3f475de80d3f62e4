package io.farine.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The effective registry settings of one service: where etcd is and how to reach it, and the
 * fields registered for the service (those of the smokesignal and skyapi registries). Resolved
 * like {@link ServiceSettings}: the section over {@code [DEFAULT]} over built-in defaults.
 * <p>
 * Not part of farine's API: public because the registry package reads a service's registry keys
 * through it ({@code FarineProperties.registry}).
 *
 * @param etcd how to reach etcd; {@link Etcd#configured()} is false when the registry is off
 * @param host the registered host, or {@code null} for the machine's routable address
 * @param port the registered port, or {@code null} for the web server's port, if any
 * @param mode {@code http} or {@code tcp}
 * @param subdomain the registered subdomain, if any
 * @param uri the registered URI, if any
 * @param servicePort the registered service port, if any
 * @param priority the registered priority
 * @param weight the registered weight
 * @param tags the registered tags
 * @param skydnsDomain the domain of SkyDNS records to write, or {@code null} for none
 * @param category skyapi's category, the sub-domain of SkyDNS records between the service and the
 * domain: labels separated by commas, left to right ({@code services,production} for
 * {@code <service>.services.production.<domain>}); {@code services} by default
 * @param rpcCheckRegistry whether RPC calls to a service with no live instance fail at once
 * @param provide skyapi's {@code /provide} websocket endpoint: where it listens and who may use it
 * @param memberReap how long {@code members()} keeps an instance that left or failed ({@code member_reap})
 */
public record RegistrySettings(Etcd etcd, @Nullable String host, @Nullable Integer port, String mode,
		@Nullable String subdomain, @Nullable String uri, @Nullable Integer servicePort, int priority, int weight,
		List<String> tags, @Nullable String skydnsDomain, String category, boolean rpcCheckRegistry,
		Provide provide, Duration memberReap) {

	/** One or more DNS labels, separated by commas (or dots). */
	private static final java.util.regex.Pattern CATEGORY = java.util.regex.Pattern
		.compile("[A-Za-z0-9_-]+([,.][A-Za-z0-9_-]+)*");

	public RegistrySettings {
		tags = List.copyOf(tags);
		category = category.replaceAll("\\s", "");
		if (!CATEGORY.matcher(category).matches()) {
			throw new IllegalArgumentException("category = " + category
					+ " is not valid: expected DNS labels separated by commas, such as services,production.");
		}
		if (memberReap.isNegative()) {
			throw new IllegalArgumentException("member_reap = " + memberReap + " is not valid: expected 0 s or more.");
		}
		if (!"http".equals(mode) && !"tcp".equals(mode)) {
			throw new IllegalArgumentException("mode = " + mode + " is not valid: expected http or tcp.");
		}
	}

	static RegistrySettings resolve(ServiceOptions own, ServiceOptions defaults) {
		Etcd etcd = new Etcd(list(pick(own.etcdEndpoints(), defaults.etcdEndpoints(), "")),
				pick(own.etcdDns(), defaults.etcdDns(), null), pick(own.etcdUser(), defaults.etcdUser(), null),
				pick(own.etcdPassword(), defaults.etcdPassword(), null), pick(own.etcdCa(), defaults.etcdCa(), null),
				pick(own.etcdCert(), defaults.etcdCert(), null), pick(own.etcdKey(), defaults.etcdKey(), null),
				pick(own.registryTtl(), defaults.registryTtl(), Duration.ofSeconds(10)),
				pick(own.registryPrefix(), defaults.registryPrefix(), "/farine/services"));
		return new RegistrySettings(etcd, pick(own.host(), defaults.host(), null),
				pick(own.port(), defaults.port(), null), pick(own.mode(), defaults.mode(), "http"),
				pick(own.subdomain(), defaults.subdomain(), null), pick(own.uri(), defaults.uri(), null),
				pick(own.servicePort(), defaults.servicePort(), null), pick(own.priority(), defaults.priority(), 1),
				pick(own.weight(), defaults.weight(), 100), list(pick(own.tags(), defaults.tags(), "")),
				pick(own.skydnsDomain(), defaults.skydnsDomain(), null),
				pick(own.category(), defaults.category(), "services"),
				pick(own.rpcCheckRegistry(), defaults.rpcCheckRegistry(), true),
				new Provide(pick(own.providePort(), defaults.providePort(), null),
						pick(own.provideHost(), defaults.provideHost(), "127.0.0.1"),
						pick(own.provideToken(), defaults.provideToken(), null),
						list(pick(own.provideServices(), defaults.provideServices(), "")),
						pick(own.provideMaxClients(), defaults.provideMaxClients(), 1024),
						pick(own.provideTtl(), defaults.provideTtl(), Duration.ofSeconds(30))),
				pick(own.memberReap(), defaults.memberReap(), Duration.ofMinutes(5)));
	}

	private static <T> T pick(@Nullable T own, @Nullable T inherited, T builtIn) {
		return (own != null) ? own : (inherited != null) ? inherited : builtIn;
	}

	private static List<String> list(String commaSeparated) {
		return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter((s) -> !s.isEmpty()).toList();
	}

	/**
	 * skyapi's {@code /provide} websocket endpoint, through which other processes join the
	 * registry: where it listens and who may use it.
	 *
	 * @param port the port, or {@code null}: the endpoint is off
	 * @param host the address it listens on ({@code provide_host})
	 * @param token the secret callers must send, or {@code null} for none ({@code provide_token};
	 * blank counts as none)
	 * @param services the services that may be registered through it; empty for any
	 * @param maxClients the most sockets open at once
	 * @param ttl how long a client stays without a frame ({@code provide_ttl}): the server pings it
	 * every half of this, and removes it when neither its pong nor anything else came for this long
	 */
	public record Provide(@Nullable Integer port, String host, @Nullable String token, List<String> services,
			int maxClients, Duration ttl) {

		public Provide {
			services = List.copyOf(services);
			token = (token == null || token.isBlank()) ? null : token;
			if (host.isBlank()) {
				throw new IllegalArgumentException("provide_host is empty: expected an address of this machine, "
						+ "such as 127.0.0.1 (the default).");
			}
			if (maxClients < 1) {
				throw new IllegalArgumentException(
						"provide_max_clients = " + maxClients + " is not valid: expected 1 or more.");
			}
			if (ttl.toMillis() < 2) {
				throw new IllegalArgumentException("provide_ttl = " + ttl + " is not valid: expected a positive "
						+ "duration, such as 30 (seconds, skyapi's default).");
			}
		}

		/** The token stays out of logs and reports. */
		@Override
		public String toString() {
			return "Provide[port=" + this.port + ", host=" + this.host + ", token="
					+ ((this.token != null) ? "***" : null) + ", services=" + this.services + ", maxClients="
					+ this.maxClients + ", ttl=" + this.ttl + "]";
		}

	}

	/**
	 * How to reach etcd. Services whose values are equal share one client and one lease.
	 *
	 * @param endpoints the etcd URLs
	 * @param dns the domain of the SRV records listing the endpoints, if any
	 * @param user the user, if etcd authentication is on
	 * @param password the user's password
	 * @param ca the PEM file of the servers' CA, to use TLS
	 * @param cert the PEM client certificate, if any
	 * @param key the PEM private key of the client certificate
	 * @param ttl the lease TTL
	 * @param prefix the key prefix of registrations
	 */
	public record Etcd(List<String> endpoints, @Nullable String dns, @Nullable String user,
			@Nullable String password, @Nullable String ca, @Nullable String cert, @Nullable String key, Duration ttl,
			String prefix) {

		public Etcd {
			endpoints = List.copyOf(endpoints);
			if (ttl.getSeconds() < 1) {
				throw new IllegalArgumentException("registry_ttl = " + ttl + " is not valid: expected 1 s or more.");
			}
			prefix = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
		}

		/**
		 * Whether etcd is configured at all: without endpoints or a DNS domain the registry is off.
		 * @return true if the registry is on
		 */
		public boolean configured() {
			return !this.endpoints.isEmpty() || (this.dns != null && !this.dns.isBlank());
		}

		/**
		 * The endpoints as the etcd client takes them: the configured URLs, or the DNS SRV target.
		 * @return a description of where etcd is, for messages
		 */
		@Override
		public String toString() {
			return (this.dns != null && this.endpoints.isEmpty()) ? "dns+srv " + this.dns : String.join(",", this.endpoints);
		}

	}

}
