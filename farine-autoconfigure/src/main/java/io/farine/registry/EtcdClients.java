package io.farine.registry;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.farine.config.RegistrySettings;

/**
 * Builds the jetcd client of a registry connection: the configured endpoints, or the DNS SRV
 * records of a domain ({@code _etcd-client._tcp}, {@code _etcd-client-ssl._tcp} with TLS, as etcd
 * documents); user and password; TLS with a CA and an optional client certificate. Short retry
 * delays, so a lost member is replaced quickly (docs/contributing.md).
 */
final class EtcdClients {

	private EtcdClients() {
	}

	/** The gRPC target that finds etcd through the SRV records etcd documents for client discovery. */
	static String srvTarget(String domain, boolean tls) {
		return "dns+srv:///" + (tls ? "_etcd-client-ssl._tcp." : "_etcd-client._tcp.") + domain.strip();
	}

	static Client create(RegistrySettings.Etcd etcd) {
		ClientBuilder builder = Client.builder()
			.retryDelay(100)
			.retryMaxDelay(1000)
			.retryMaxAttempts(3)
			.connectTimeout(Duration.ofSeconds(2))
			.keepaliveTime(Duration.ofSeconds(10))
			.keepaliveTimeout(Duration.ofSeconds(3));
		boolean tls = etcd.ca() != null;
		if (!etcd.endpoints().isEmpty()) {
			builder.endpoints(etcd.endpoints().toArray(String[]::new));
		}
		else {
			builder.target(srvTarget(etcd.dns(), tls));
		}
		if (etcd.user() != null) {
			if (!tls && etcd.endpoints().stream().noneMatch((endpoint) -> endpoint.startsWith("https://"))) {
				org.apache.commons.logging.LogFactory.getLog(EtcdClients.class)
					.warn("The etcd password of user '" + etcd.user() + "' goes to " + etcd
							+ " without TLS: anyone on the path can read it. Set etcd_ca (and https:// endpoints).");
			}
			builder.user(ByteSequence.from(etcd.user(), StandardCharsets.UTF_8))
				.password(ByteSequence.from((etcd.password() != null) ? etcd.password() : "", StandardCharsets.UTF_8));
		}
		if (tls) {
			try {
				builder.sslContext((ssl) -> {
					ssl.trustManager(new File(etcd.ca()));
					if (etcd.cert() != null && etcd.key() != null) {
						ssl.keyManager(new File(etcd.cert()), new File(etcd.key()));
					}
				});
			}
			catch (Exception ex) {
				throw new IllegalStateException("Cannot set up TLS to etcd with etcd_ca = " + etcd.ca()
						+ ((etcd.cert() != null) ? ", etcd_cert = " + etcd.cert() + ", etcd_key = " + etcd.key() : "")
						+ ": " + ex.getMessage(), ex);
			}
		}
		return builder.build();
	}

}
