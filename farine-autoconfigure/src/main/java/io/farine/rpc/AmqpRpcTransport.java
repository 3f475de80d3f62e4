package io.farine.rpc;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.farine.amqp.Broker;
import io.farine.amqp.BrokerConnections;
import io.farine.config.FarineProperties;
import io.farine.config.ServiceSettings;
import io.farine.observation.FarineObservations;
import io.farine.registry.RegistryState;
import io.farine.registry.ServiceRegistry;
import io.farine.service.FarineThreads;
import io.farine.service.JsonCodec;

import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.function.SingletonSupplier;

/**
 * The AMQP transport of RPC clients: one {@link ReplyQueue} per broker, created on the first call,
 * and one timer thread that checks the timeouts of all calls every {@value #SWEEP_MILLIS} ms (a
 * timer per call would wake a thread per call).
 */
final class AmqpRpcTransport implements RpcTransport, AutoCloseable {

	private static final Log logger = LogFactory.getLog(AmqpRpcTransport.class);

	/** How often timeouts are checked: a call times out at most this late. */
	static final long SWEEP_MILLIS = 20;

	private final FarineProperties properties;

	private final BrokerConnections brokers;

	private final JsonCodec codec;

	/** By broker, not by {@code amqp_uri}: services on one URI with different TLS settings have a broker each. */
	private final Map<Broker, ReplyQueue> replyQueues = new ConcurrentHashMap<>();

	private final Map<String, Target> targets = new ConcurrentHashMap<>();

	private final ScheduledExecutorService timer;

	private final Supplier<@Nullable ServiceRegistry> registry;

	private final ExecutorService callbacks;

	private volatile boolean closed;

	private final FarineObservations observations;

	private final OneWaySender oneWay;

	AmqpRpcTransport(FarineProperties properties, BrokerConnections brokers, JsonCodec codec,
			Supplier<@Nullable ServiceRegistry> registry, FarineObservations observations, FarineThreads threads) {
		this.observations = observations;
		this.properties = properties;
		// resolved at the first call, not at each: an ObjectProvider lookup costs more than the call's own work
		this.registry = SingletonSupplier.of(registry);
		this.brokers = brokers;
		this.codec = codec;
		this.oneWay = new OneWaySender(properties, brokers, codec);
		ThreadPoolTaskScheduler timer = threads.scheduler("farine-rpc-timer");
		timer.initialize();
		this.timer = timer.getScheduledExecutor();
		AtomicInteger count = new AtomicInteger();
		this.callbacks = Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "farine-rpc-callback-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	@Override
	public Runnable send(Call call, ReplyListener listener) {
		if (!this.observations.enabled()) {
			return send(call, listener, Map.of());
		}
		Map<String, Object> headers = new HashMap<>();
		ObservedReplies observed = new ObservedReplies(listener,
				this.observations.rpcClient(call.service(), call.method(), headers).start());
		Runnable cancel = send(call, observed, headers);
		return () -> {
			cancel.run();
			observed.cancelled();
		};
	}

	/** Sends a request with extra headers (the trace context). */
	private Runnable send(Call call, ReplyListener listener, Map<String, Object> headers) {
		if (this.closed) {
			listener.error(new RpcException(call.service(), call.method(),
					"Cannot call " + call + ": the RPC client is closed (the application is shutting down)", null));
			return () -> {
			};
		}
		Target target = this.targets.computeIfAbsent(call.service(), this::target);
		ServiceRegistry live = target.checkRegistry ? this.registry.get() : null;
		if (live != null && live.state() != RegistryState.OFF && live.synced()
				&& live.instances(call.service()).isEmpty()) {
			listener.error(new RpcUnroutableException(call.service(), call.method(), "No live instance of service '"
					+ call.service() + "' in the service registry to call " + call + ": it is not running, or does not "
					+ "register in etcd (set rpc_check_registry = false in its section to call it anyway)", null));
			return () -> {
			};
		}
		return target.replies.send(call, target.retry, listener, headers);
	}

	@Override
	public CompletableFuture<Void> signal(Call call) {
		if (this.closed) {
			return CompletableFuture.failedFuture(new RpcException(call.service(), call.method(),
					"Cannot call " + call + ": the RPC client is closed (the application is shutting down)", null));
		}
		return this.oneWay.send(call);
	}

	@Override
	public int inFlight() {
		return this.replyQueues.values().stream().mapToInt(ReplyQueue::inFlight).sum();
	}

	private Target target(String service) {
		ServiceSettings settings = this.properties.service(service);
		ReplyQueue replies = this.replyQueues.computeIfAbsent(this.brokers.broker(settings), (broker) -> {
			if (this.replyQueues.isEmpty()) {
				this.timer.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
			}
			return new ReplyQueue(broker, settings, this.codec, this.callbacks, this.brokers.dropped());
		});
		return new Target(replies, settings.retry(), this.properties.registry(service).rpcCheckRegistry());
	}

	/** Ends calls past their timeout; never throws, as one throw would stop every later sweep. */
	void sweep() {
		for (ReplyQueue queue : this.replyQueues.values()) {
			try {
				queue.sweep();
			}
			catch (RuntimeException | Error ex) {
				logger.error("Sweeping timed-out RPC calls failed; sweeping goes on", ex);
				if (ex instanceof VirtualMachineError fatal) {
					throw fatal;
				}
			}
		}
	}

	@Override
	public void close() {
		this.closed = true;
		// kept, closed: a call that passed the check above meanwhile finds its reply queue closed and fails
		this.replyQueues.values().forEach(ReplyQueue::close);
		this.timer.shutdownNow();
		this.callbacks.shutdown();
	}

	/** Where calls to one service go, resolved once. */
	private record Target(ReplyQueue replies, boolean retry, boolean checkRegistry) {
	}

}
