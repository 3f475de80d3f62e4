package io.farine.amqp;

import java.security.NoSuchAlgorithmException;

import javax.net.ssl.SSLContext;

import org.jspecify.annotations.Nullable;

import io.farine.config.ServiceSettings;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

/**
 * How farine trusts an {@code amqps://} broker: the SSL context from a Spring Boot SSL bundle, or
 * from {@code amqp_ca} (and {@code amqp_cert}/{@code amqp_key}), or the JVM's trusted CAs; the
 * broker's host name is verified too. Only {@code amqp_tls_verify = false} trusts anything.
 *
 * @param context the SSL context, or {@code null} when verification is off
 * @param verify whether the broker's certificate and host name are verified
 * @param description how the broker is trusted, for health and the {@code farine} endpoint, such as
 * {@code CA /etc/farine/ca.pem}; never a password
 */
record BrokerTls(@Nullable SSLContext context, boolean verify, String description) {

	/** Verification against the JVM's trusted CAs. */
	static BrokerTls systemDefault() {
		try {
			return new BrokerTls(SSLContext.getDefault(), true, "JVM CAs");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("The JVM has no default SSL context", ex);
		}
	}

	static BrokerTls of(ServiceSettings settings, @Nullable SslBundles bundles) {
		ServiceSettings.AmqpTls tls = settings.amqpTls();
		if (!tls.verify()) {
			return new BrokerTls(null, false, "not verified");
		}
		if (tls.sslBundle() != null) {
			if (bundles == null) {
				throw new IllegalStateException("[" + settings.name() + "] amqp_ssl_bundle = " + tls.sslBundle()
						+ " names an SSL bundle, but the application has no spring.ssl.bundle configuration.");
			}
			return new BrokerTls(bundles.getBundle(tls.sslBundle()).createSslContext(), true,
					"SSL bundle " + tls.sslBundle());
		}
		if (tls.ca() == null && tls.cert() == null) {
			return systemDefault();
		}
		if ((tls.cert() == null) != (tls.key() == null)) {
			throw new IllegalStateException("[" + settings.name() + "] amqp_cert and amqp_key go together: set both "
					+ "for a client certificate, or neither.");
		}
		try {
			PemSslStoreDetails keyStore = (tls.cert() != null)
					? PemSslStoreDetails.forCertificate("file:" + tls.cert()).withPrivateKey("file:" + tls.key()) : null;
			PemSslStoreDetails trustStore = (tls.ca() != null) ? PemSslStoreDetails.forCertificate("file:" + tls.ca())
					: null;
			return new BrokerTls(SslBundle.of(new PemSslStoreBundle(keyStore, trustStore)).createSslContext(), true,
					((tls.ca() != null) ? "CA " + tls.ca() : "JVM CAs")
							+ ((tls.cert() != null) ? ", client certificate " + tls.cert() : ""));
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("[" + settings.name() + "] cannot set up TLS to the broker with amqp_ca = "
					+ tls.ca() + ((tls.cert() != null) ? ", amqp_cert = " + tls.cert() + ", amqp_key = " + tls.key() : "")
					+ ": " + ex.getMessage(), ex);
		}
	}

}
