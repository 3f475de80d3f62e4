package io.farine.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;

/**
 * The options of one INI section ({@code [DEFAULT]} or a service) as written: a {@code null}
 * component was not set there and is inherited. {@link FarineProperties#service(String)}
 * resolves them into {@link ServiceSettings}.
 *
 * @param enabled whether the service runs at all (default true)
 * @param amqpUri the broker to connect to (default amqp://guest:guest@localhost:5672)
 * @param type the exchange type: direct, topic, fanout or broadcast (default direct)
 * @param durable whether exchanges and queues survive a broker restart (default true)
 * @param autoDeclare whether the service declares its exchanges, queues and bindings (default true)
 * @param deliveryMode 2 for persistent messages, 1 for transient ones (default 2)
 * @param retry whether publishing retries while the broker connection is being re-established (default true)
 * @param serializer the message serializer; only json is supported (default json)
 * @param exclusive whether consumer queues are exclusive to one connection (default false)
 * @param autoDelete whether exchanges and queues are deleted when no longer used (default false)
 * @param prefetchCount how many unacknowledged messages a consumer may hold (default 10)
 * @param concurrency how many consumers per queue handle messages in parallel (default 1)
 * @param consumeRetries how many times a failed handler is retried before its message is dead-lettered (default 3)
 * @param consumeRetryDelay the first delay between handler retries; seconds unless a unit is given (default 1s)
 * @param consumeRetryMultiplier the factor by which the delay grows after each retry (default 2)
 * @param consumeRetryMaxDelay the longest delay between handler retries; seconds unless a unit is given (default 10s)
 * @param publishTimeout how long a blocking publish waits for the broker's confirm; seconds unless a unit is given (default 10s)
 * @param rpcTimeout how long an RPC call to this service waits for its reply, and a streaming call for each next item; seconds unless a unit is given (default 10s)
 * @param rpcStackTrace whether an RPC method that throws sends its stack trace to the caller, not only the exception's type and message (default false)
 * @param endpoint the URL of the Server-Sent-Events stream an {@code @SseListener} of the service reads when the annotation names none
 * @param sseReconnectDelay the shortest delay before an SSE stream is reconnected, where its backoff starts; a server's longer {@code retry:} replaces it, a shorter one does not; seconds unless a unit is given (default 1s)
 * @param sseReconnectMaxDelay the longest delay between SSE reconnection attempts; seconds unless a unit is given (default 30s)
 * @param executeRestartDelay the first delay before an {@code @Execute} method that threw runs again; seconds unless a unit is given (default 1s)
 * @param executeRestartMaxDelay the longest delay before an {@code @Execute} method that keeps throwing runs again; seconds unless a unit is given (default 60s)
 * @param executeShutdownGrace how long shutdown waits for an interrupted {@code @Execute} method to return; seconds unless a unit is given (default 10s)
 * @param etcdEndpoints comma-separated etcd URLs, such as http://10.0.0.1:2379; with none (and no etcd_dns) the registry is off
 * @param etcdDns a domain whose DNS SRV records (_etcd-client._tcp, or _etcd-client-ssl._tcp with TLS) list the etcd endpoints
 * @param etcdUser the etcd user, for etcd authentication
 * @param etcdPassword the etcd user's password
 * @param etcdCa a PEM file of the CA that signed the etcd servers' certificates; enables TLS
 * @param etcdCert a PEM client certificate for etcd, with etcd_key
 * @param etcdKey the PEM (PKCS#8) private key of etcd_cert
 * @param registryTtl the TTL of the process's lease in etcd: a killed process disappears after it; seconds unless a unit is given (default 10s)
 * @param registryPrefix the etcd key prefix of registrations (default /farine/services)
 * @param memberReap how long the registry's members() keeps an instance that left or failed, with that status, before it forgets it (Serf's reap); seconds unless a unit is given ([DEFAULT] only; default 5m)
 * @param host the host registered for the service (default: the machine's routable address)
 * @param port the port registered for the service (default: the web server's port, if any)
 * @param mode how the service is reached: http or tcp (default http)
 * @param subdomain the subdomain registered for the service
 * @param uri the URI registered for the service
 * @param servicePort the service port registered for the service
 * @param priority the registered priority (default 1)
 * @param weight the registered weight (default 100)
 * @param tags comma-separated tags registered for the service
 * @param skydnsDomain a domain under which SkyDNS/CoreDNS records of the service are written too, such as farine.local
 * @param category skyapi's category: the sub-domain between the service and the SkyDNS domain, comma-separated left to right for several levels, such as services,production for {@code <service>.services.production.<domain>} (default services)
 * @param rpcCheckRegistry whether an RPC call to a service with no live instance in the registry fails at once (default true when the registry is on)
 * @param dbConnector the database of the application's DataSource: postgres (or postgresql); with the other db_* keys it configures the DataSource unless spring.datasource.url is set
 * @param dbName the PostgreSQL database name
 * @param dbUser the PostgreSQL user
 * @param dbHost the PostgreSQL host
 * @param dbPassword the PostgreSQL user's password (required; may be empty with trust authentication)
 * @param dbPort the PostgreSQL port (default 5432)
 * @param dbMaxConn the most connections the pool opens (HikariCP maximum-pool-size; default 10)
 * @param dbStaleTimeout how long a pooled connection lives before it is replaced (HikariCP max-lifetime, at least 30 s); seconds unless a unit is given (default 30 min)
 * @param dbTimeout how long a handler waits for a pooled connection (HikariCP connection-timeout); seconds unless a unit is given (default 30 s)
 * @param dbTransaction whether each handler call of the service runs in a transaction when a DataSource exists (default true)
 * @param dbBatchSize how many messages of one {@code @Consume} consumer are handled in one transaction, each in a savepoint of its own, committed once and then acknowledged together; 1 commits each message (default 1)
 * @param dbBatchWindow the longest a consumer waits for a batch of {@code db_batch_size} messages to fill before it handles what it has; seconds unless a unit is given, such as 5ms (default 5ms)
 * @param amqpExpiration how the broker reads a message's expiration: relative (a TTL in ms, as RabbitMQ does) or absolute (a time in ms since the epoch, as Apache Qpid Broker-J does); farine-dev sets absolute for its embedded broker (default relative)
 * @param amqpCa a PEM file of the CA that signed the broker's certificate, for amqps:// (default: the JVM's trusted CAs)
 * @param amqpCert a PEM client certificate for the broker, with amqp_key
 * @param amqpKey the PEM (PKCS#8) private key of amqp_cert
 * @param amqpSslBundle the name of a Spring Boot SSL bundle (spring.ssl.bundle.*) for amqps://, instead of amqp_ca, amqp_cert and amqp_key
 * @param amqpTlsVerify whether amqps:// verifies the broker's certificate and host name; false trusts any certificate and logs a warning (default true)
 * @param maxMessageSize the largest message body the service publishes or takes; a larger one fails to publish, or is dead-lettered when consumed; also the largest {@code @SseListener} event (a larger one ends the connection); bytes unless a unit is given (default 16MB)
 * @param queueType classic or quorum: the type of the queues the service's consumers and RPC servers declare; quorum (replicated over a RabbitMQ cluster, durable, not exclusive nor auto-delete) adds the queue argument x-queue-type, which a Python peer declaring the same queue must add too (default classic)
 * @param debug whether a consumed message whose body carries a truthy {@code "__debug__"} sends a copy of it with its timings to the durable {@code debug} queue on the consumer's exchange, as the Python original does, and an RPC request with {@code "__debug__": true} publishes farine's own report to the service's exchange with routing key {@code debug} (default false)
 * @param providePort the port where this process serves skyapi's {@code /provide} websocket, through which any process joins the registry while its socket is open (skyapi's default is 8053; off when unset)
 * @param provideHost the address {@code /provide} listens on; any other than a loopback address needs provide_token (default 127.0.0.1)
 * @param provideToken the shared secret a {@code /provide} caller sends as {@code ?token=...} or {@code Authorization: Bearer ...}; required when provide_host is not a loopback address
 * @param provideServices comma-separated names of the services that may be registered through {@code /provide} (default: any)
 * @param provideMaxClients the most {@code /provide} websockets open at once; more are refused (default 1024)
 * @param provideTtl how long a {@code /provide} client stays registered without a frame: the server pings every half of it and removes a client whose pong does not come in time; seconds unless a unit is given (default 30, as skyapi)
 * @param clusterCodec how the service's cluster event payloads and query answers are written: json, raw, or the name of a ClusterCodec bean (default json)
 * @param publishMandatory whether a publish that no queue receives fails with UnroutableMessageException; false confirms it and counts it in farine.publish.unroutable, for events nobody may listen to yet; {@code @Publish(mandatory = false)} sets it for one publisher (default true)
 * @param publishQueueLimit how many publishes may wait for a broker connection (reconnecting, or blocked by a memory or disk alarm); one more fails at once (default 10000)
 * @param amqpWaitAtStart how long start-up waits for the broker to accept connections before it gives up with a report; seconds unless a unit is given (default 0: no wait)
 * @param outboxTable the table of the transactional outbox, created at start when absent ([DEFAULT] only; default farine_outbox)
 * @param inboxTable the table of idempotent consumers' handled message ids, created at start when absent ([DEFAULT] only; default farine_inbox)
 * @param outboxParkedTable the table where the outbox relay parks the rows the broker refuses for good (unroutable, headers too large), with the reason; created at start when absent ([DEFAULT] only; default farine_outbox_parked)
 * @param inboxRetention how long the inbox of idempotent consumers remembers a handled message id: older rows are purged, and a redelivery after that is handled again ([DEFAULT] only: one inbox table serves every service); seconds unless a unit is given (default 7d)
 */
public record ServiceOptions(@Nullable Boolean enabled, @Nullable String amqpUri, @Nullable ExchangeType type,
		@Nullable Boolean durable, @Nullable Boolean autoDeclare, @Nullable Integer deliveryMode,
		@Nullable Boolean retry, @Nullable String serializer, @Nullable Boolean exclusive,
		@Nullable Boolean autoDelete, @Nullable Integer prefetchCount, @Nullable Integer concurrency,
		@Nullable Integer consumeRetries, @DurationUnit(ChronoUnit.SECONDS) @Nullable Duration consumeRetryDelay,
		@Nullable Double consumeRetryMultiplier,
		@DurationUnit(ChronoUnit.SECONDS) @Nullable Duration consumeRetryMaxDelay,
		@DurationUnit(ChronoUnit.SECONDS) @Nullable Duration publishTimeout,
		@DurationUnit(ChronoUnit.SECONDS) @Nullable Duration rpcTimeout, @Nullable Boolean rpcStackTrace,
		@Nullable String endpoint, @DurationUnit(ChronoUnit.SECONDS) @Nullable Duration sseReconnectDelay,
		@DurationUnit(ChronoUnit.SECONDS) @Nullable Duration sseReconnectMaxDelay,
		@DurationUnit(ChronoUnit.SECONDS) @Nullable Duration executeRestartDelay,
		@DurationUnit(ChronoUnit.SECONDS) @Nullable Duration executeRestartMaxDelay,
		@DurationUnit(ChronoUnit.SECONDS) @Nullable Duration executeShutdownGrace, @Nullable String etcdEndpoints,
		@Nullable String etcdDns, @Nullable String etcdUser, @Nullable String etcdPassword, @Nullable String etcdCa,
		@Nullable String etcdCert, @Nullable String etcdKey,
		@DurationUnit(ChronoUnit.SECONDS) @Nullable Duration registryTtl, @Nullable String registryPrefix,
		@Nullable String host, @Nullable Integer port, @Nullable String mode, @Nullable String subdomain,
		@Nullable String uri, @Nullable Integer servicePort, @Nullable Integer priority, @Nullable Integer weight,
		@Nullable String tags, @Nullable String skydnsDomain, @Nullable String category,
		@Nullable Boolean rpcCheckRegistry,
		@Nullable String dbConnector, @Nullable String dbName, @Nullable String dbUser, @Nullable String dbHost,
		@Nullable String dbPassword, @Nullable Integer dbPort, @Nullable Integer dbMaxConn,
		@DurationUnit(ChronoUnit.SECONDS) @Nullable Duration dbStaleTimeout,
		@DurationUnit(ChronoUnit.SECONDS) @Nullable Duration dbTimeout, @Nullable Boolean dbTransaction,
		@Nullable Integer dbBatchSize, @DurationUnit(ChronoUnit.SECONDS) @Nullable Duration dbBatchWindow,
		@DurationUnit(ChronoUnit.SECONDS) @Nullable Duration amqpWaitAtStart, @Nullable String amqpExpiration,
		@DataSizeUnit(DataUnit.BYTES) @Nullable DataSize maxMessageSize, @Nullable String amqpCa,
		@Nullable String amqpCert, @Nullable String amqpKey, @Nullable String amqpSslBundle,
		@Nullable Boolean amqpTlsVerify, @Nullable String queueType, @Nullable Boolean debug,
		@Nullable Integer providePort, @Nullable String provideHost, @Nullable String provideToken,
		@Nullable String provideServices, @Nullable Integer provideMaxClients,
		@DurationUnit(ChronoUnit.SECONDS) @Nullable Duration provideTtl, @Nullable String clusterCodec,
		@Nullable Boolean publishMandatory, @Nullable Integer publishQueueLimit, @Nullable String outboxTable,
		@Nullable String inboxTable, @Nullable String outboxParkedTable,
		@DurationUnit(ChronoUnit.SECONDS) @Nullable Duration inboxRetention,
		@DurationUnit(ChronoUnit.SECONDS) @Nullable Duration memberReap) {

	static final ServiceOptions NONE = new ServiceOptions(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

	/**
	 * The {@code db_*} keys of this section alone.
	 * @return them, unchecked; {@code null} where not set
	 */
	public DatabaseOptions database() {
		return new DatabaseOptions(this.dbConnector, this.dbName, this.dbUser, this.dbHost, this.dbPassword,
				this.dbPort, this.dbMaxConn, this.dbStaleTimeout, this.dbTimeout);
	}

	/** Secrets are masked: options end up in logs and failure reports. */
	@Override
	public String toString() {
		return "ServiceOptions[amqpUri=" + ((this.amqpUri != null) ? this.amqpUri.replaceAll("//[^/@]*@", "//***@") : null)
				+ ", etcdEndpoints=" + this.etcdEndpoints + ", etcdUser=" + this.etcdUser + ", etcdPassword="
				+ ((this.etcdPassword != null) ? "***" : null) + ", dbHost=" + this.dbHost + ", dbName=" + this.dbName
				+ ", dbUser=" + this.dbUser + ", dbPassword=" + ((this.dbPassword != null) ? "***" : null) + ", ...]";
	}

}
