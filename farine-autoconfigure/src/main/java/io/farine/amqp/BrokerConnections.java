package io.farine.amqp;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import io.farine.config.ServiceSettings;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.ssl.SslBundles;

/**
 * The brokers farine talks to, one {@link Broker} per distinct {@code amqp_uri} and TLS settings
 * ({@link BrokerKey}), created on first use and closed with the application context. Creating one
 * opens no connection.
 * <p>
 * Not part of farine's API: public because the rpc, cluster and outbox packages reach their brokers
 * through it.
 */
public final class BrokerConnections implements DisposableBean {

	private final Map<BrokerKey, Broker> brokers = new ConcurrentHashMap<>();

	private final String connectionName;

	private final DroppedMessages dropped = new DroppedMessages();

	private final java.util.concurrent.atomic.LongAdder unroutable = new java.util.concurrent.atomic.LongAdder();

	private final @Nullable SslBundles sslBundles;

	private final ExecutorService executor;

	private final BrokerReachability reachability = new BrokerReachability();

	/**
	 * Creates the registry.
	 * @param connectionName the client-provided connection name the broker's management UI shows
	 */
	public BrokerConnections(String connectionName) {
		this(connectionName, null);
	}

	/**
	 * Creates the registry.
	 * @param connectionName the client-provided connection name the broker's management UI shows
	 * @param sslBundles the application's SSL bundles, for {@code amqp_ssl_bundle}
	 */
	public BrokerConnections(String connectionName, @Nullable SslBundles sslBundles) {
		this.connectionName = connectionName;
		this.sslBundles = sslBundles;
		AtomicInteger count = new AtomicInteger();
		// Handlers run on the connection's dispatch threads; an unbounded pool keeps one slow or
		// retrying handler from starving the consumers of other queues on the same connection.
		this.executor = Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "farine-amqp-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * The broker of a service, created on first use; services with the same {@code amqp_uri} and
	 * the same TLS settings share it, and those whose TLS settings differ get their own. Its
	 * {@code publish_queue_limit} is that of the service that first used it.
	 * @param settings the service's settings
	 * @return the broker
	 */
	public Broker broker(ServiceSettings settings) {
		return this.brokers.computeIfAbsent(BrokerKey.of(settings), (key) -> new Broker(key.amqpUri(),
				this.executor, this.connectionName, BrokerTls.of(settings, this.sslBundles), settings.publishQueueLimit()));
	}

	/**
	 * The inbound messages dropped on the paths that have no sender to tell, for metrics.
	 * @return the tally
	 */
	public DroppedMessages dropped() {
		return this.dropped;
	}

	/**
	 * How many publishes that are not mandatory ({@code @Publish(mandatory = false)},
	 * {@code publish_mandatory = false}) no queue received: {@code farine.publish.unroutable}.
	 * @return the count since start
	 */
	public long unroutablePublishes() {
		return this.unroutable.sum();
	}

	/** Counts a publish that is not mandatory and that no queue received. */
	public void countUnroutable() {
		this.unroutable.increment();
	}

	/**
	 * The brokers in use so far, for health.
	 * @return the brokers, one per {@code amqp_uri} and TLS settings
	 */
	public Collection<Broker> brokers() {
		return List.copyOf(this.brokers.values());
	}

	/**
	 * Checks, once per broker at start-up, that the broker of a service accepts connections.
	 * @param settings the service's settings: its {@code amqp_uri} and {@code amqp_wait_at_start}
	 * @return the broker
	 * @throws BrokerUnreachableException if it accepts none within the wait
	 */
	public Broker reachable(ServiceSettings settings) {
		Broker broker = broker(settings);
		this.reachability.require(broker, settings.name(), settings.amqpWaitAtStart());
		return broker;
	}

	@Override
	public void destroy() {
		this.brokers.values().forEach(Broker::close);
		this.brokers.clear();
		this.executor.shutdownNow();
	}

}
