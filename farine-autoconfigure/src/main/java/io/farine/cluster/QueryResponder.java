package io.farine.cluster;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.farine.amqp.Broker;
import io.farine.amqp.CorrelatedProperties;
import io.farine.amqp.DroppedMessages;
import io.farine.observation.FarineObservations;
import io.farine.service.HandlerException;
import io.farine.service.HandlerInvoker;
import io.farine.service.QueryEndpoint;
import io.farine.service.ServiceEndpoints;

import org.springframework.amqp.core.Message;
import org.springframework.util.StringUtils;

/**
 * Answers the queries this process is asked: when it runs the service asked for, with every tag
 * asked for, and has an {@link OnQuery} method for the name, it acknowledges (if asked), calls the
 * method, and sends the answer, written with the service's codec, to the asker's own queue through
 * the answers exchange. A query whose reply-to names no answers queue is dropped and counted.
 */
final class QueryResponder {

	private static final Log logger = LogFactory.getLog(QueryResponder.class);

	/** The name of an {@code @OnQuery} method that answers the queries no other method answers. */
	private static final String ANY = "*";

	/** How long an answer given as a {@code Mono} or future is waited for. */
	private static final Duration AWAIT = Duration.ofMinutes(1);

	/** The {@code @OnQuery} methods of the services this process runs, by query name. */
	private final Map<String, QueryEndpoint> queries;

	/** The services this process runs. */
	private final Set<String> here;

	/** The tags of one of the services this process runs, as they are now (set at run time or configured). */
	private final Function<String, List<String>> tags;

	private final HandlerInvoker invoker;

	private final ClusterCodecs codecs;

	private final String instanceId;

	private final Supplier<Broker> broker;

	private final DroppedMessages dropped;

	private final FarineObservations observations;

	/** Answers a query, made once: the observation runs it for each query. */
	private final BiFunction<Message, QueryEndpoint, @Nullable Throwable> answering = this::answer;

	QueryResponder(ServiceEndpoints services, Function<String, List<String>> tags, HandlerInvoker invoker,
			ClusterCodecs codecs, String instanceId, Supplier<Broker> broker, DroppedMessages dropped,
			FarineObservations observations) {
		this.queries = new HashMap<>();
		services.runningQueries().forEach((query) -> this.queries.put(query.name(), query));
		this.here = services.runningServices();
		this.tags = tags;
		this.dropped = dropped;
		this.invoker = invoker;
		this.codecs = codecs;
		this.instanceId = instanceId;
		this.broker = broker;
		this.observations = observations;
	}

	void onQuery(Message message) {
		Map<String, Object> headers = message.getMessageProperties().getHeaders();
		String name = String.valueOf(headers.get(ClusterRuntime.NAME));
		QueryEndpoint endpoint = this.queries.getOrDefault(name, this.queries.get(ANY));
		if (endpoint == null || !matches(headers)) {
			return;
		}
		String id = message.getMessageProperties().getMessageId();
		String replyTo = String.valueOf(headers.get(ClusterRuntime.REPLY_TO));
		if (!replyTo.startsWith(ClusterRuntime.ANSWERS_QUEUE_PREFIX)) {
			this.dropped.drop(DroppedMessages.Reason.QUERY_REPLY_TO_NOT_AN_ASKER);
			logger.warn("Dropped query '" + StringUtils.truncate(name, 100) + "' (message id " + id
					+ "): its reply-to '" + StringUtils.truncate(replyTo, 100) + "' names no asker's answers queue");
			return;
		}
		if (Boolean.TRUE.equals(headers.get(ClusterRuntime.ACK))) {
			answer(replyTo, id, "ack", new byte[0], false);
		}
		this.invoker.observe(this.observations.query(endpoint.service(), endpoint.handler().method().getName()),
				this.answering, message, endpoint);
	}

	/** Calls the method and sends its answer; returns why there is none, or {@code null}. */
	private @Nullable Throwable answer(Message message, QueryEndpoint endpoint) {
		Map<String, Object> headers = message.getMessageProperties().getHeaders();
		String name = String.valueOf(headers.get(ClusterRuntime.NAME));
		try {
			Object result = this.invoker.invoke(endpoint.handler(), ClusterArguments.of(endpoint.arguments()),
					new ClusterArguments.Received(name, String.valueOf(headers.get(ClusterRuntime.SENDER)),
							message.getBody()));
			result = endpoint.results().await(result, AWAIT);
			ClusterCodec codec = this.codecs.of(endpoint.handler().service());
			boolean json = "json".equals(codec.name()) && !(result instanceof byte[]);
			answer(String.valueOf(headers.get(ClusterRuntime.REPLY_TO)), message.getMessageProperties().getMessageId(),
					"response", codec.encode(result), !json);
			return null;
		}
		catch (HandlerException | IllegalStateException | IllegalArgumentException ex) {
			Throwable error = (ex instanceof HandlerException failure) ? failure.getCause() : ex;
			logger.warn(endpoint.handler() + " failed on query '" + name + "'; no answer is sent: " + error);
			return error;
		}
	}

	/**
	 * Whether this process is one the query asks: one of its services (the one asked for, if any)
	 * has every tag asked for now, as the asker's registry sees it.
	 */
	private boolean matches(Map<String, Object> headers) {
		Object service = headers.get(ClusterRuntime.SERVICE);
		if (service != null && !this.here.contains(service.toString())) {
			return false;
		}
		String asked = String.valueOf(headers.getOrDefault(ClusterRuntime.TAGS, ""));
		if (asked.isBlank()) {
			return true;
		}
		List<String> required = List.of(asked.split(","));
		Set<String> candidates = (service != null) ? Set.of(service.toString()) : this.here;
		return candidates.stream().anyMatch((candidate) -> this.tags.apply(candidate).containsAll(required));
	}

	private void answer(String replyTo, String queryId, String kind, byte[] body, boolean raw) {
		Broker current = this.broker.get();
		CorrelatedProperties properties = CorrelatedProperties.reply(queryId)
			.withHeader(ClusterRuntime.ANSWER, kind)
			.withHeader(ClusterRuntime.SENDER, this.instanceId);
		if (raw) {
			properties = properties.withHeader(ClusterRuntime.RAW, "true");
		}
		try {
			// through the answers exchange, where only askers' queues are bound: never the default exchange,
			// which would take the answer to any queue the query names
			current.send(ClusterRuntime.ANSWERS, replyTo, false, properties, body, false);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not answer query " + queryId + ": " + ex.getMessage());
		}
	}

}
