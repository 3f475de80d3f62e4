package io.farine.rpc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.farine.amqp.Broker;
import io.farine.amqp.BrokerConnections;
import io.farine.amqp.ListenerGroup;
import io.farine.config.ExchangeType;
import io.farine.config.FarineProperties;
import io.farine.config.ServiceSettings;
import io.farine.observation.FarineObservations;
import io.farine.service.FarinePhases;
import io.farine.service.HandlerInvoker;
import io.farine.service.JsonCodec;
import io.farine.service.RpcEndpoint;
import io.farine.service.ServiceEndpoints;

import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.context.SmartLifecycle;

/**
 * Serves the {@code @RpcMethod}s of the services that run: for each method, queue
 * {@code <service>__<name>} bound to the service's exchange with the same key, consumed by as many
 * consumers as the method's concurrency. Starts and stops with the AMQP consumers.
 */
final class RpcServer implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RpcServer.class);

	private final ServiceEndpoints endpoints;

	private final FarineProperties properties;

	private final BrokerConnections brokers;

	private final HandlerInvoker invoker;

	private final JsonCodec codec;

	private final FarineObservations observations;

	private final ListenerGroup containers = new ListenerGroup();

	/**
	 * Whether the caller of each stream being sent went away, by correlation id: reply frames are
	 * mandatory, and the broker returns one whose caller's reply queue is gone.
	 */
	private final Map<String, AtomicBoolean> streams = new ConcurrentHashMap<>();

	private final Consumer<ReturnedMessage> returns = this::returned;

	private final Set<Broker> watched = ConcurrentHashMap.newKeySet();

	/**
	 * Sends the batched items of streams to farine callers, one task per stream at a time; idle
	 * daemon threads end by themselves, so a restarted server uses it again.
	 */
	private final java.util.concurrent.ExecutorService batchSender = java.util.concurrent.Executors
		.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "farine-rpc-batches");
			thread.setDaemon(true);
			return thread;
		});

	/**
	 * Creates the server.
	 * @param endpoints the discovered endpoints
	 * @param properties the configuration
	 * @param brokers the broker connections
	 * @param invoker calls the methods
	 * @param codec reads requests and writes replies
	 * @param observations observes the requests served
	 */
	RpcServer(ServiceEndpoints endpoints, FarineProperties properties, BrokerConnections brokers,
			HandlerInvoker invoker, JsonCodec codec, FarineObservations observations) {
		this.observations = observations;
		this.endpoints = endpoints;
		this.properties = properties;
		this.brokers = brokers;
		this.invoker = invoker;
		this.codec = codec;
	}

	@Override
	public void start() {
		Map<RpcEndpoint, RequestListener> listeners = new LinkedHashMap<>();
		for (RpcEndpoint endpoint : this.endpoints.runningRpcMethods()) {
			ServiceSettings settings = this.properties.service(endpoint.service());
			if (settings.type() == ExchangeType.FANOUT || settings.type() == ExchangeType.BROADCAST) {
				throw new IllegalStateException("Service '" + endpoint.service() + "' has @RpcMethod "
						+ endpoint.handler() + " but its exchange type is " + settings.type().name().toLowerCase(java.util.Locale.ROOT)
						+ "; RPC routes by key, so set type = direct (or topic) in its farine.ini section.");
			}
			Broker broker = this.brokers.broker(settings);
			if (this.watched.add(broker)) {
				broker.onReturn(this.returns);
			}
			listeners.put(endpoint,
					new RequestListener(endpoint, broker, this.invoker, this.codec, settings, this.streams,
							this.batchSender, this.observations));
		}
		this.containers.start(() -> listeners.forEach(this::serve));
	}

	private void serve(RpcEndpoint endpoint, RequestListener listener) {
		ServiceSettings settings = this.properties.service(endpoint.service());
		Broker broker = this.brokers.reachable(settings);
		String queue = broker.declare(endpoint.service(), endpoint.queue(), endpoint.queue(), settings);
		int consumers = (endpoint.concurrency() > 0) ? endpoint.concurrency() : settings.concurrency();
		this.containers.add(broker.serve(queue, settings.prefetchCount(), consumers,
				listener, "farine-rpc-" + queue));
		logger.info(endpoint.handler() + " serves " + endpoint.service() + "." + endpoint.name() + " from queue '"
				+ queue + "' (" + consumers + " consumer" + ((consumers == 1) ? "" : "s") + ")");
	}

	/** A reply frame came back: no queue took it, so its caller is gone; its stream, if any, stops. */
	private void returned(ReturnedMessage returned) {
		MessageProperties properties = returned.getMessage().getMessageProperties();
		String correlationId = properties.getCorrelationId();
		// a request has a reply_to (that return is the client's); a reply frame has none
		if (correlationId != null && properties.getReplyTo() == null) {
			AtomicBoolean gone = this.streams.get(correlationId);
			if (gone != null) {
				gone.set(true);
			}
		}
	}

	@Override
	public void stop() {
		this.containers.stop();
		forgetReturns();
	}

	/**
	 * Stops taking requests at once and runs the callback once the requests at work were
	 * answered: the first step of farine's shutdown.
	 */
	@Override
	public void stop(Runnable callback) {
		this.containers.stop(() -> {
			forgetReturns();
			callback.run();
		});
	}

	private void forgetReturns() {
		this.watched.forEach((broker) -> broker.removeReturnHandler(this.returns));
		this.watched.clear();
	}

	@Override
	public boolean isRunning() {
		return this.containers.isRunning();
	}

	@Override
	public int getPhase() {
		return FarinePhases.INTAKE;
	}

}
