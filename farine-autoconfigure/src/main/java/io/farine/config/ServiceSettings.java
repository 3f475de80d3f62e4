package io.farine.config;

import org.jspecify.annotations.Nullable;

import java.time.Duration;

import org.springframework.util.unit.DataSize;

/**
 * The effective settings of one service: its INI section over {@code [DEFAULT]} over the
 * built-in defaults, which equal the Python original's. Immutable and complete: every
 * component is set.
 * <p>
 * Not part of farine's API: public because every capability reads its service's settings through it
 * ({@code FarineProperties.service}).
 *
 * @param name the service name
 * @param enabled whether the service runs
 * @param amqpUri the broker: one node, or the nodes of one cluster (checked with {@link AmqpAddress#parseAll})
 * @param type the exchange type
 * @param durable whether exchanges and queues are durable
 * @param autoDeclare whether to declare exchanges, queues and bindings
 * @param deliveryMode 2 persistent, 1 transient
 * @param retry whether publishing retries while the connection is re-established
 * @param serializer the serializer name (json)
 * @param exclusive whether consumer queues are exclusive
 * @param autoDelete whether exchanges and queues are auto-delete
 * @param prefetchCount the consumer prefetch
 * @param concurrency consumers per queue
 * @param consumeRetries handler retries before dead-lettering
 * @param consumeRetryDelay first delay between handler retries
 * @param consumeRetryMultiplier growth of the retry delay
 * @param consumeRetryMaxDelay cap of the retry delay
 * @param publishTimeout how long a blocking publish waits for its confirm
 * @param rpcTimeout how long an RPC call to the service waits for its reply (and a stream for each item)
 * @param rpcStackTrace whether RPC error replies carry the stack trace
 * @param endpoint the SSE stream URL of the service, if configured
 * @param sseReconnectDelay shortest delay before reconnecting an SSE stream, where its backoff starts
 * @param sseReconnectMaxDelay cap of the SSE reconnect delay
 * @param executeRestartDelay first delay before a failed {@code @Execute} method runs again
 * @param executeRestartMaxDelay cap of that delay
 * @param executeShutdownGrace how long shutdown waits for {@code @Execute} methods
 * @param dbTransaction whether each handler call runs in a transaction when a DataSource exists
 * @param amqpWaitAtStart how long start-up waits for the broker
 * @param amqpExpiration {@code relative} or {@code absolute}: how the broker reads a message's expiration
 * @param maxMessageSize the largest body published or taken
 * @param queueType {@code classic} or {@code quorum}: the type of consumer and RPC request queues
 * @param amqpTls how an {@code amqps://} broker is trusted
 * @param debug whether a body carrying {@code "__debug__"} makes the service send the invocation's timings
 * @param clusterCodec the codec of the service's cluster payloads and answers ({@code json}, {@code raw} or a bean's name)
 * @param publishMandatory whether a publish no queue receives is an error, or confirmed and counted
 * @param publishQueueLimit how many publishes may wait for a connection; one more fails at once
 * @param dbBatchSize how many messages of one consumer share a transaction (1: one each)
 * @param dbBatchWindow the longest a consumer waits for a batch to fill
 */
public record ServiceSettings(String name, boolean enabled, String amqpUri, ExchangeType type, boolean durable,
		boolean autoDeclare, int deliveryMode, boolean retry, String serializer, boolean exclusive,
		boolean autoDelete, int prefetchCount, int concurrency, int consumeRetries, Duration consumeRetryDelay,
		double consumeRetryMultiplier, Duration consumeRetryMaxDelay, Duration publishTimeout, Duration rpcTimeout,
		boolean rpcStackTrace, @Nullable String endpoint, Duration sseReconnectDelay, Duration sseReconnectMaxDelay,
		Duration executeRestartDelay, Duration executeRestartMaxDelay, Duration executeShutdownGrace,
		boolean dbTransaction, Duration amqpWaitAtStart, String amqpExpiration, DataSize maxMessageSize,
		String queueType, AmqpTls amqpTls, boolean debug, String clusterCodec, boolean publishMandatory,
		int publishQueueLimit, int dbBatchSize, Duration dbBatchWindow) {

	/** The broker used when no {@code amqp_uri} is configured. */
	public static final String DEFAULT_AMQP_URI = "amqp://guest:guest@localhost:5672";

	public ServiceSettings {
		require(deliveryMode == 1 || deliveryMode == 2, name, "delivery_mode", deliveryMode, "1 or 2");
		require("json".equals(serializer), name, "serializer", serializer, "json");
		require(prefetchCount >= 0, name, "prefetch_count", prefetchCount, "0 or more");
		require(concurrency >= 1, name, "concurrency", concurrency, "1 or more");
		require(consumeRetries >= 0, name, "consume_retries", consumeRetries, "0 or more");
		require(consumeRetryMultiplier >= 1, name, "consume_retry_multiplier", consumeRetryMultiplier, "1 or more");
		require(!publishTimeout.isNegative() && !publishTimeout.isZero(), name, "publish_timeout", publishTimeout,
				"a positive duration");
		require(!rpcTimeout.isNegative() && !rpcTimeout.isZero(), name, "rpc_timeout", rpcTimeout,
				"a positive duration");
		require("relative".equals(amqpExpiration) || "absolute".equals(amqpExpiration), name, "amqp_expiration",
				amqpExpiration, "relative or absolute");
		require(!amqpWaitAtStart.isNegative(), name, "amqp_wait_at_start", amqpWaitAtStart, "0 or more seconds");
		// a zero delay would reconnect or restart in a tight loop; a zero grace would wait for ever
		require(positive(sseReconnectDelay), name, "sse_reconnect_delay", sseReconnectDelay, "a positive duration");
		require(positive(sseReconnectMaxDelay), name, "sse_reconnect_max_delay", sseReconnectMaxDelay,
				"a positive duration");
		require(positive(executeRestartDelay), name, "execute_restart_delay", executeRestartDelay,
				"a positive duration");
		require(positive(executeRestartMaxDelay), name, "execute_restart_max_delay", executeRestartMaxDelay,
				"a positive duration");
		require(positive(executeShutdownGrace), name, "execute_shutdown_grace", executeShutdownGrace,
				"a positive duration");
		require(maxMessageSize.toBytes() > 0 && maxMessageSize.toBytes() <= Integer.MAX_VALUE, name,
				"max_message_size", maxMessageSize, "a size from 1B to 2GB");
		require("classic".equals(queueType) || "quorum".equals(queueType), name, "queue_type", queueType,
				"classic or quorum");
		// RabbitMQ refuses a quorum queue that is transient, exclusive or auto-delete
		require(!"quorum".equals(queueType) || (durable && !exclusive && !autoDelete), name, "queue_type", queueType,
				"classic unless durable = true, exclusive = false and auto_delete = false");
		require(publishQueueLimit >= 1, name, "publish_queue_limit", publishQueueLimit, "1 or more");
		require(!consumeRetryDelay.isNegative(), name, "consume_retry_delay", consumeRetryDelay, "0 or more");
		require(dbBatchSize >= 1, name, "db_batch_size", dbBatchSize, "1 or more");
		// the consumer waits for each next message of a batch at most this long: 0 would spin
		require(dbBatchWindow.toMillis() >= 1, name, "db_batch_window", dbBatchWindow,
				"a duration of 1ms or more, such as 5ms");
	}

	/**
	 * Whether the service's consumer and RPC request queues are quorum queues.
	 * @return {@code true} for {@code queue_type = quorum}
	 */
	public boolean quorumQueues() {
		return "quorum".equals(this.queueType);
	}

	/**
	 * The AMQP {@code expiration} of a message that must not outlive a TTL, in the form this
	 * service's broker reads: the TTL in ms (RabbitMQ), or the time it runs out (Qpid Broker-J).
	 * @param ttl how long the message may wait
	 * @return the property's value
	 */
	public String expiration(Duration ttl) {
		long millis = Math.max(1, ttl.toMillis());
		return "absolute".equals(this.amqpExpiration) ? Long.toString(System.currentTimeMillis() + millis)
				: Long.toString(millis);
	}

	static ServiceSettings resolve(String name, ServiceOptions own, ServiceOptions defaults) {
		return new ServiceSettings(name, pick(own.enabled(), defaults.enabled(), true),
				amqpUri(name, pick(own.amqpUri(), defaults.amqpUri(), DEFAULT_AMQP_URI)),
				pick(own.type(), defaults.type(), ExchangeType.DIRECT), pick(own.durable(), defaults.durable(), true),
				pick(own.autoDeclare(), defaults.autoDeclare(), true),
				pick(own.deliveryMode(), defaults.deliveryMode(), 2), pick(own.retry(), defaults.retry(), true),
				pick(own.serializer(), defaults.serializer(), "json"),
				pick(own.exclusive(), defaults.exclusive(), false),
				pick(own.autoDelete(), defaults.autoDelete(), false),
				pick(own.prefetchCount(), defaults.prefetchCount(), 10),
				pick(own.concurrency(), defaults.concurrency(), 1),
				pick(own.consumeRetries(), defaults.consumeRetries(), 3),
				pick(own.consumeRetryDelay(), defaults.consumeRetryDelay(), Duration.ofSeconds(1)),
				pick(own.consumeRetryMultiplier(), defaults.consumeRetryMultiplier(), 2.0),
				pick(own.consumeRetryMaxDelay(), defaults.consumeRetryMaxDelay(), Duration.ofSeconds(10)),
				pick(own.publishTimeout(), defaults.publishTimeout(), Duration.ofSeconds(10)),
				pick(own.rpcTimeout(), defaults.rpcTimeout(), Duration.ofSeconds(10)),
				pick(own.rpcStackTrace(), defaults.rpcStackTrace(), false),
				(own.endpoint() != null) ? own.endpoint() : defaults.endpoint(),
				pick(own.sseReconnectDelay(), defaults.sseReconnectDelay(), Duration.ofSeconds(1)),
				pick(own.sseReconnectMaxDelay(), defaults.sseReconnectMaxDelay(), Duration.ofSeconds(30)),
				pick(own.executeRestartDelay(), defaults.executeRestartDelay(), Duration.ofSeconds(1)),
				pick(own.executeRestartMaxDelay(), defaults.executeRestartMaxDelay(), Duration.ofSeconds(60)),
				pick(own.executeShutdownGrace(), defaults.executeShutdownGrace(), Duration.ofSeconds(10)),
				pick(own.dbTransaction(), defaults.dbTransaction(), true),
				pick(own.amqpWaitAtStart(), defaults.amqpWaitAtStart(), Duration.ZERO),
				pick(own.amqpExpiration(), defaults.amqpExpiration(), "relative"),
				pick(own.maxMessageSize(), defaults.maxMessageSize(), DataSize.ofMegabytes(16)),
				pick(own.queueType(), defaults.queueType(), "classic"),
				new AmqpTls(pick(own.amqpCa(), defaults.amqpCa(), null), pick(own.amqpCert(), defaults.amqpCert(), null),
						pick(own.amqpKey(), defaults.amqpKey(), null),
						pick(own.amqpSslBundle(), defaults.amqpSslBundle(), null),
						pick(own.amqpTlsVerify(), defaults.amqpTlsVerify(), true)),
				pick(own.debug(), defaults.debug(), false),
				pick(own.clusterCodec(), defaults.clusterCodec(), "json"),
				pick(own.publishMandatory(), defaults.publishMandatory(), true),
				pick(own.publishQueueLimit(), defaults.publishQueueLimit(), 10_000),
				pick(own.dbBatchSize(), defaults.dbBatchSize(), 1),
				pick(own.dbBatchWindow(), defaults.dbBatchWindow(), Duration.ofMillis(5)));
	}

	/** Checks {@code amqp_uri}; an error never quotes it, as it may hold a password. */
	private static String amqpUri(String service, String uri) {
		try {
			AmqpAddress.parseAll(uri);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("[" + section(service) + "] " + ex.getMessage() + ".");
		}
		return uri.strip();
	}

	/**
	 * How an {@code amqps://} broker is trusted, and how farine proves who it is.
	 *
	 * @param ca the PEM file of the CA of the broker's certificate, or {@code null} for the JVM's
	 * @param cert the PEM client certificate, if any
	 * @param key the PEM private key of the client certificate
	 * @param sslBundle the Spring Boot SSL bundle to use instead, if any
	 * @param verify whether the broker's certificate and host name are verified
	 */
	public record AmqpTls(@Nullable String ca, @Nullable String cert, @Nullable String key,
			@Nullable String sslBundle, boolean verify) {
	}

	/**
	 * The INI section a service's settings are reported under: its own, or {@code DEFAULT} for the
	 * settings of no service in particular ({@code ""}), which are {@code [DEFAULT]}'s.
	 */
	static String section(String service) {
		return service.isEmpty() ? IniFile.DEFAULT_SECTION : service;
	}

	private static <T> @Nullable T pick(@Nullable T own, @Nullable T inherited, @Nullable T builtIn) {
		return (own != null) ? own : (inherited != null) ? inherited : builtIn;
	}

	private static boolean positive(Duration duration) {
		return !duration.isNegative() && !duration.isZero();
	}

	private static void require(boolean valid, String service, String key, Object value, String expected) {
		if (!valid) {
			throw new InvalidSettingException(section(service), key, "[" + section(service) + "] " + key + " = " + value
					+ " is not valid: expected " + expected + ".");
		}
	}

}
