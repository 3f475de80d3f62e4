package io.farine.amqp;

import java.security.GeneralSecurityException;
import java.util.List;
import java.util.concurrent.ExecutorService;

import javax.net.ssl.SSLContext;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.farine.config.AmqpAddress;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * Builds the connection factory of one {@code amqp_uri}: every node of it (each connection tries
 * them in random order until one accepts it), its credentials and virtual host, TLS as
 * configured (verified unless {@code amqp_tls_verify = false}, which is logged), the client's
 * body limit, a connect timeout, and the connection name the management UI shows.
 */
final class BrokerConnectionFactory {

	/** The largest body read: RabbitMQ's own default limit, above farine's {@code max_message_size}. */
	static final int MAX_INBOUND_BODY = 128 * 1024 * 1024;

	/** A broker that accepts the TCP connection but does not answer must not hold a publish for a minute. */
	static final int CONNECT_TIMEOUT_MILLIS = 5000;

	private static final Log logger = LogFactory.getLog(BrokerConnectionFactory.class);

	private BrokerConnectionFactory() {
	}

	static CachingConnectionFactory create(List<AmqpAddress> nodes, ExecutorService executor, String connectionName,
			BrokerTls tls) {
		AmqpAddress address = nodes.get(0);
		CachingConnectionFactory factory = new CachingConnectionFactory();
		factory.setAddresses(nodes.stream().map(AmqpAddress::hostAndPort).toList());
		factory.setUsername(address.username());
		factory.setPassword(address.password());
		factory.setVirtualHost(address.virtualHost());
		// read anything RabbitMQ accepts, so that a body over max_message_size is dead-lettered with
		// the reason instead of failing the connection at every redelivery
		factory.getRabbitConnectionFactory().setMaxInboundMessageBodySize(MAX_INBOUND_BODY);
		if (address.tls()) {
			useTls(factory.getRabbitConnectionFactory(), tls, address);
		}
		factory.setExecutor(executor);
		factory.setConnectionNameStrategy((ignored) -> connectionName);
		factory.setChannelCacheSize(32);
		factory.setConnectionTimeout(CONNECT_TIMEOUT_MILLIS);
		return factory;
	}

	private static void useTls(com.rabbitmq.client.ConnectionFactory rabbit, BrokerTls tls, AmqpAddress address) {
		SSLContext context = tls.context();
		if (tls.verify() && context != null) {
			rabbit.useSslProtocol(context);
			rabbit.enableHostnameVerification();
			return;
		}
		logger.warn("TLS to " + address + " trusts any certificate (amqp_tls_verify = false): anyone on the path "
				+ "can read and forge messages. Set amqp_ca (or amqp_ssl_bundle) and remove amqp_tls_verify.");
		try {
			rabbit.useSslProtocol();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot set up TLS for " + address, ex);
		}
	}

}
