package io.farine.amqp;

import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.farine.config.ExchangeType;
import io.farine.config.FarineProperties;
import io.farine.config.ServiceSettings;
import io.farine.observation.FarineObservations;
import io.farine.service.ConsumeEndpoint;
import io.farine.service.FarineInstance;
import io.farine.service.FarinePhases;
import io.farine.service.HandlerInvoker;
import io.farine.service.JsonCodec;
import io.farine.service.PublishEndpoint;
import io.farine.service.ServiceEndpoints;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.function.SingletonSupplier;

/**
 * Runs the AMQP side of every service: makes the publishers {@code @Publish} fields get,
 * declares their exchanges at start, and runs one listener container per {@code @Consume} method
 * of the services that run. Containers resume by themselves after the connection is lost. Makes
 * the publishers of {@code @Publish} fields as the {@code Function<PublishEndpoint, Publisher>} bean
 * autoconfigure looks up; {@link AmqpConfiguration} gauges its consumers.
 */
final class AmqpRuntime implements SmartLifecycle, Function<PublishEndpoint, Publisher> {

	private static final Log logger = LogFactory.getLog(AmqpRuntime.class);

	private final ServiceEndpoints endpoints;

	private final Supplier<@Nullable Outbox> outbox;

	private final Supplier<@Nullable Inbox> inbox;

	private final FarineProperties properties;

	private final BrokerConnections brokers;

	private final HandlerInvoker invoker;

	private final JsonCodec codec;

	private final FarineObservations observations;

	/** This instance, found when the first publisher is made. */
	private final Supplier<FarineInstance> instance;

	private final ListenerGroup containers = new ListenerGroup();

	/** The consumers of the running containers. */
	private volatile int consumers;

	/**
	 * Creates the runtime with an outbox for publishes made inside a transaction.
	 * @param endpoints the discovered endpoints
	 * @param properties the configuration
	 * @param brokers the broker connections
	 * @param invoker calls the handlers
	 * @param codec reads and writes JSON
	 * @param outbox the outbox, if the application has one (looked up when a publisher is made)
	 * @param inbox the inbox of idempotent consumers, if the application has one
	 * @param observations observes publishes and consumes
	 * @param instance names this instance in the messages its publishers send
	 */
	AmqpRuntime(ServiceEndpoints endpoints, FarineProperties properties, BrokerConnections brokers,
			HandlerInvoker invoker, JsonCodec codec, Supplier<@Nullable Outbox> outbox,
			Supplier<@Nullable Inbox> inbox, FarineObservations observations, Supplier<FarineInstance> instance) {
		this.observations = observations;
		this.instance = SingletonSupplier.of(instance);
		this.outbox = outbox;
		this.inbox = inbox;
		this.endpoints = endpoints;
		this.properties = properties;
		this.brokers = brokers;
		this.invoker = invoker;
		this.codec = codec;
	}

	/**
	 * Makes the publisher of a {@code @Publish} field; opens no connection.
	 * @param endpoint the field's descriptor
	 * @return the publisher
	 */
	@Override
	public Publisher apply(PublishEndpoint endpoint) {
		ServiceSettings settings = this.properties.service(endpoint.service());
		return new AmqpPublisher(this.brokers.broker(settings), endpoint.exchange(), endpoint.routingKey(),
				endpoint.mandatory() && settings.publishMandatory(), settings, this.codec, this.outbox,
				this.observations, this.brokers::countUnroutable, this.instance.get().id());
	}

	@Override
	public void start() {
		for (PublishEndpoint publisher : this.endpoints.publishers()) {
			ServiceSettings settings = this.properties.service(publisher.service());
			if (settings.autoDeclare()) {
				this.brokers.reachable(settings)
					.admin()
					.declareExchange(Topology.exchange(publisher.exchange(), settings));
			}
		}
		this.containers.start(this::startConsumers);
	}

	private void startConsumers() {
		for (ConsumeEndpoint consumer : this.endpoints.runningConsumers()) {
			this.containers.add(startContainer(consumer));
			this.consumers += this.properties.service(consumer.service()).concurrency();
		}
	}

	/**
	 * How many consumers take messages for {@code @Consume} methods: a metric.
	 * @return the consumers of every queue, 0 when stopped
	 */
	int consumers() {
		return this.consumers;
	}

	/** The inbox of an idempotent consumer, which needs a database and farine's transaction around it. */
	private @Nullable ConsumerInbox inbox(ConsumeEndpoint consumer, String queue, ServiceSettings settings) {
		if (!consumer.idempotent()) {
			return null;
		}
		Inbox records = this.inbox.get();
		if (records == null) {
			throw new IllegalStateException("@Consume(idempotent = true) " + consumer.handler() + " needs a database "
					+ "for its inbox: configure the db_* keys (or spring.datasource.url), or remove idempotent");
		}
		if (!consumer.handler().transactional()) {
			throw new IllegalStateException("@Consume(idempotent = true) " + consumer.handler() + " needs the "
					+ "transaction farine opens around it, so that its inbox record commits with its work: remove "
					+ "db_transaction = false from service '" + settings.name() + "' (or the method's @Transactional)");
		}
		return ConsumerInbox.of(records, consumer, queue, settings);
	}

	private AbstractMessageListenerContainer startContainer(ConsumeEndpoint consumer) {
		ServiceSettings settings = this.properties.service(consumer.service());
		Broker broker = this.brokers.reachable(settings);
		String queue = Topology.declare(broker.admin(), consumer.exchange(), consumer.routingKey(), consumer.queue(),
				settings);
		// Declared whatever auto_declare says: a dead-letter copy with no queue to go to would be
		// requeued and retried for ever. A broadcast consumer's per-instance queue shares the
		// dead-letter queue of its configured name, which outlives the instance.
		String deadLetters = DeadLetterQueue.of(
				(settings.type() == ExchangeType.BROADCAST) ? consumer.queue() : queue);
		broker.admin().declareQueue(new Queue(deadLetters, true, false, false,
				settings.quorumQueues() ? Topology.QUORUM : null));
		ConsumeListener listener = new ConsumeListener(consumer, queue, deadLetters, broker, this.invoker, this.codec,
				settings, inbox(consumer, queue, settings), this.observations);
		String name = "farine-" + consumer.service() + "-" + queue;
		AbstractMessageListenerContainer container = (settings.dbBatchSize() > 1 && consumer.handler().transactional())
				? broker.listenInBatches(queue, settings.prefetchCount(), settings.concurrency(), settings.dbBatchSize(),
						settings.dbBatchWindow(), new BatchConsumeListener(listener, this.invoker), name)
				: broker.listen(queue, AcknowledgeMode.MANUAL, settings.prefetchCount(), settings.concurrency(), listener,
						name);
		logger.info(consumer.handler() + " consumes queue '" + queue + "' bound to exchange '" + consumer.exchange()
				+ "' with key '" + consumer.routingKey() + "'");
		return container;
	}

	@Override
	public void stop() {
		this.consumers = 0;
		this.containers.stop();
	}

	/**
	 * Stops taking messages at once, in every container, and runs the callback once the handlers
	 * at work finished, their messages acknowledged: the first step of farine's shutdown.
	 */
	@Override
	public void stop(Runnable callback) {
		this.consumers = 0;
		this.containers.stop(callback);
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
