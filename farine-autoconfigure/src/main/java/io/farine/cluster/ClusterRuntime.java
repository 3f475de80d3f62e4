package io.farine.cluster;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.farine.amqp.Broker;
import io.farine.amqp.Wire;
import io.farine.amqp.BrokerConnections;
import io.farine.amqp.DroppedMessages;
import io.farine.amqp.OutboundMessage;
import io.farine.amqp.UnroutableMessageException;
import io.farine.config.FarineProperties;
import io.farine.config.ServiceSettings;
import io.farine.observation.FarineObservations;
import io.farine.service.EventEndpoint;
import io.farine.service.FarinePhases;
import io.farine.service.HandlerException;
import io.farine.service.HandlerInvoker;
import io.farine.service.JsonCodec;
import io.farine.service.ServiceEndpoints;

import org.springframework.amqp.core.Message;
import org.springframework.context.SmartLifecycle;

/**
 * Carries cluster events and queries through two fanout exchanges, {@value #EVENTS} and
 * {@value #QUERIES}, each process reading them on an exclusive queue of its own (so each live
 * instance gets each once, and nothing sent before it started), and answers queries through the
 * direct exchange {@value #ANSWERS}, to which only the askers' answers queues are bound: a query's
 * reply-to, which anyone who can publish a query chooses, can name no other queue of the vhost.
 * Every queue here is read with a prefetch, drops (and counts) what is larger than
 * {@code max_message_size}, and on RabbitMQ holds at most {@value #QUEUE_MAX_LENGTH} messages
 * (the oldest go first): {@link ClusterQueues}. Uses the broker of {@code [DEFAULT]}'s
 * {@code amqp_uri}. Events and queries are farine's own: a Python peer takes no part.
 */
final class ClusterRuntime implements SmartLifecycle {

	/** The fanout exchange of events. */
	public static final String EVENTS = "farine.events";

	/** The fanout exchange of queries. */
	public static final String QUERIES = "farine.queries";

	/** The direct exchange of query answers: each asker's queue is bound with its own name. */
	public static final String ANSWERS = "farine.answers";

	/** What each process's answers queue is named after: {@code farine.answers.<instance id>}. */
	static final String ANSWERS_QUEUE_PREFIX = ANSWERS + ".";

	/** The most messages an events, queries or answers queue holds on RabbitMQ. */
	static final int QUEUE_MAX_LENGTH = 10_000;

	/** The most bytes an events, queries or answers queue holds on RabbitMQ. */
	static final long QUEUE_MAX_BYTES = 256L * 1024 * 1024;

	static final String NAME = "x-farine-name";

	static final String SENDER = "x-farine-sender";

	static final String SERVICE = "x-farine-service";

	static final String TAGS = "x-farine-tags";

	static final String ACK = "x-farine-ack";

	static final String REPLY_TO = "x-farine-reply-to";

	static final String ANSWER = "x-farine-answer";

	static final String RAW = "x-farine-raw";

	static final String CODEC = "x-farine-codec";

	private static final Log logger = LogFactory.getLog(ClusterRuntime.class);

	private final ServiceEndpoints services;

	private final FarineObservations observations;

	/** The {@code @OnEvent} methods of the services this process runs, taken at start. */
	private volatile List<EventEndpoint> events = List.of();

	/** The tags of each service this process runs, as they are now. */
	private final Function<String, List<String>> tags;

	private final BrokerConnections brokers;

	private final HandlerInvoker invoker;

	private final JsonCodec codec;

	private final ClusterCodecs codecs;

	private final String instanceId;

	private final Map<String, QueryCall> calls = new ConcurrentHashMap<>();

	private final ClusterQueues queues;

	/**
	 * Creates the runtime.
	 * @param services the {@code @OnEvent} and {@code @OnQuery} methods, and which services run here
	 * @param properties the configuration: the broker
	 * @param brokers the broker connections
	 * @param invoker calls the handlers
	 * @param codec reads payloads and writes answers
	 * @param codecs each service's codec of payloads and answers
	 * @param instanceId this process's instance id (the registry's)
	 * @param tags the tags of each service this process runs, as they are now (set at run time or configured)
	 * @param observations observes each event and query handled
	 */
	ClusterRuntime(ServiceEndpoints services, FarineProperties properties, BrokerConnections brokers,
			HandlerInvoker invoker, JsonCodec codec, ClusterCodecs codecs, String instanceId,
			Function<String, List<String>> tags, FarineObservations observations) {
		this.codecs = codecs;
		this.observations = observations;
		this.services = services;
		this.tags = tags;
		this.brokers = brokers;
		this.invoker = invoker;
		this.codec = codec;
		this.instanceId = instanceId;
		this.queues = new ClusterQueues(properties, brokers, instanceId);
	}

	String instanceId() {
		return this.instanceId;
	}

	/**
	 * Listens for events and queries when this process has methods for them; an application
	 * without any connects nothing here until it sends one.
	 */
	@Override
	public synchronized void start() {
		this.events = this.services.runningEvents();
		this.queues.start(() -> {
			if (!this.services.events().isEmpty()) {
				this.queues.listen(EVENTS, "farine.events." + this.instanceId, DroppedMessages.Reason.EVENT_TOO_LARGE,
						this::onEvent);
			}
			if (!this.services.queries().isEmpty()) {
				QueryResponder responder = new QueryResponder(this.services, this.tags, this.invoker, this.codecs,
						this.instanceId, this.queues::broker, this.brokers.dropped(), this.observations);
				this.queues.listen(QUERIES, "farine.queries." + this.instanceId, DroppedMessages.Reason.QUERY_TOO_LARGE,
						responder::onQuery);
			}
		});
	}

	String answersQueue() {
		return this.queues.answersQueue();
	}

	private ServiceSettings settings() {
		return this.queues.settings();
	}

	@Override
	public void stop(Runnable callback) {
		this.queues.stop(callback);
	}

	@Override
	public void stop() {
		this.queues.stop();
	}

	@Override
	public boolean isRunning() {
		return this.queues.isRunning();
	}

	@Override
	public int getPhase() {
		return FarinePhases.INTAKE;
	}

	// events

	void send(String name, Object payload) {
		Broker current = started();
		ClusterCodec codec = this.codecs.of("");
		OutboundMessage message = new OutboundMessage("", EVENTS, "", Wire.newId(), false,
				Map.of(NAME, name, SENDER, this.instanceId, CODEC, codec.name()), null, codec.encode(payload));
		try {
			current.publishAndWait(message, settings(), "event '" + name + "' to exchange '" + EVENTS + "'");
		}
		catch (UnroutableMessageException ex) {
			logger.debug("No instance listens for events; event '" + name + "' reached nobody");
		}
	}

	private void onEvent(Message message) {
		Map<String, Object> headers = message.getMessageProperties().getHeaders();
		ClusterArguments.Received received = new ClusterArguments.Received(String.valueOf(headers.get(NAME)),
				String.valueOf(headers.get(SENDER)), message.getBody());
		for (EventEndpoint endpoint : this.events) {
			if (endpoint.receives(received.name())) {
				try {
					this.invoker.invoke(endpoint.handler(),
							this.observations.event(endpoint.service(), endpoint.handler().method().getName()),
							ClusterArguments.of(endpoint.arguments()), received);
				}
				catch (HandlerException ex) {
					logger.warn(endpoint.handler() + " failed on event '" + received.name() + "': " + ex.getCause());
				}
			}
		}
	}

	// queries

	QueryCall ask(String name, Object payload, QueryOptions options, @Nullable Set<String> expected) {
		Broker current = started();
		this.queues.answersListened(this::onAnswer);
		String id = Wire.newId();
		QueryCall call = new QueryCall(name, options, expected, () -> this.calls.remove(id));
		this.calls.put(id, call);
		try {
			publishQuery(current, id, name, payload, options);
		}
		catch (RuntimeException | Error ex) {
			// nobody will get this call to end it
			this.calls.remove(id);
			throw ex;
		}
		return call;
	}

	/** How many queries are in flight, waiting for answers: for tests. */
	int inFlight() {
		return this.calls.size();
	}

	private void publishQuery(Broker current, String id, String name, Object payload, QueryOptions options) {
		Map<String, Object> headers = new HashMap<>();
		headers.put(NAME, name);
		headers.put(SENDER, this.instanceId);
		headers.put(REPLY_TO, answersQueue());
		headers.put(ACK, options.requestAck());
		headers.put(TAGS, String.join(",", options.tags()));
		if (options.service() != null) {
			headers.put(SERVICE, options.service());
		}
		ClusterCodec codec = this.codecs.of((options.service() != null) ? options.service() : "");
		headers.put(CODEC, codec.name());
		OutboundMessage message = new OutboundMessage("", QUERIES, "", id, false, headers, null, codec.encode(payload));
		try {
			current.publishAndWait(message, settings(), "query '" + name + "' to exchange '" + QUERIES + "'");
		}
		catch (UnroutableMessageException ex) {
			logger.debug("No instance answers queries; query '" + name + "' reached nobody");
		}
	}

	private void onAnswer(Message message) {
		QueryCall call = this.calls.get(String.valueOf(message.getMessageProperties().getCorrelationId()));
		if (call == null) {
			this.brokers.dropped().drop(DroppedMessages.Reason.ANSWER_UNKNOWN_QUERY);
			logger.debug("Dropped an answer to no query in flight (correlation id "
					+ message.getMessageProperties().getCorrelationId() + "): it ended, or the answer is forged");
			return;
		}
		Map<String, Object> headers = message.getMessageProperties().getHeaders();
		String instance = String.valueOf(headers.get(SENDER));
		if ("ack".equals(String.valueOf(headers.get(ANSWER)))) {
			call.acked(instance);
		}
		else {
			boolean raw = headers.containsKey(RAW);
			call.answered(instance, raw ? null : this.codec.parse(message.getBody()), message.getBody());
		}
	}

	private Broker started() {
		if (!this.queues.isRunning()) {
			throw new IllegalStateException("The cluster runtime is not running (the application is not started, or "
					+ "is stopping): events and queries cannot be sent");
		}
		return this.queues.broker();
	}

}
