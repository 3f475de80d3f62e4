package io.farine.amqp;

import org.jspecify.annotations.Nullable;

import io.farine.config.AmqpAddress;
import io.farine.config.ServiceSettings;

/**
 * What shapes the connections of a {@link Broker}: its {@code amqp_uri} and, for
 * {@code amqps://}, how the broker is trusted and which client certificate is shown. Services
 * whose keys are equal share one broker; two services on one URI with different TLS settings get
 * a broker each, so that {@code amqp_tls_verify = false} in one section never reaches another.
 * Settings that do not change the connection are dropped, so that they do not split it: all TLS
 * settings of a plain {@code amqp://} URI, the files beside {@code amqp_tls_verify = false}, and
 * the files beside an {@code amqp_ssl_bundle}.
 *
 * @param amqpUri the broker's URI, as configured
 * @param tls the TLS settings that apply, or {@code null} for a plain connection
 */
record BrokerKey(String amqpUri, ServiceSettings.@Nullable AmqpTls tls) {

	static BrokerKey of(ServiceSettings settings) {
		if (!AmqpAddress.parseAll(settings.amqpUri()).get(0).tls()) {
			return new BrokerKey(settings.amqpUri(), null);
		}
		ServiceSettings.AmqpTls tls = settings.amqpTls();
		if (!tls.verify()) {
			tls = new ServiceSettings.AmqpTls(null, null, null, null, false);
		}
		else if (tls.sslBundle() != null) {
			tls = new ServiceSettings.AmqpTls(null, null, null, tls.sslBundle(), true);
		}
		return new BrokerKey(settings.amqpUri(), tls);
	}

	/** The URI's password stays out of logs and reports. */
	@Override
	public String toString() {
		return "BrokerKey[" + AmqpAddress.describe(AmqpAddress.parseAll(this.amqpUri)) + ", " + this.tls + "]";
	}

}
