package io.farine.cluster;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import io.farine.amqp.Broker;
import io.farine.amqp.CorrelatedProperties;
import io.farine.amqp.DroppedMessages;
import io.farine.config.FarineProperties;
import io.farine.service.HandlerException;
import io.farine.service.HandlerInvoker;
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

	private final ClusterEndpoints endpoints;

	private final ServiceEndpoints services;

	private final FarineProperties properties;

	private final HandlerInvoker invoker;

	private final ClusterCodecs codecs;

	private final String instanceId;

	private final Supplier<Broker> broker;

	private final DroppedMessages dropped;

	QueryResponder(ClusterEndpoints endpoints, ServiceEndpoints services, FarineProperties properties,
			HandlerInvoker invoker, ClusterCodecs codecs, String instanceId, Supplier<Broker> broker,
			DroppedMessages dropped) {
		this.dropped = dropped;
		this.endpoints = endpoints;
		this.services = services;
		this.properties = properties;
		this.invoker = invoker;
		this.codecs = codecs;
		this.instanceId = instanceId;
		this.broker = broker;
	}

	void onQuery(Message message) {
		Map<String, Object> headers = message.getMessageProperties().getHeaders();
		String name = String.valueOf(headers.get(ClusterRuntime.NAME));
		ClusterEndpoints.Endpoint endpoint = this.endpoints.queries().get(name);
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
		try {
			Object result = this.invoker.invoke(endpoint.handler(), endpoint.arguments(),
					new ClusterEndpoints.Received(name, String.valueOf(headers.get(ClusterRuntime.SENDER)), message.getBody()));
			if (result instanceof Mono<?> mono) {
				result = mono.block(java.time.Duration.ofMinutes(1));
			}
			ClusterCodec codec = this.codecs.of(endpoint.handler().service());
			boolean json = "json".equals(codec.name()) && !(result instanceof byte[]);
			answer(replyTo, id, "response", codec.encode(result), !json);
		}
		catch (HandlerException | IllegalStateException | IllegalArgumentException ex) {
			logger.warn(endpoint.handler() + " failed on query '" + name + "'; no answer is sent: "
					+ ((ex instanceof HandlerException failure) ? failure.getCause() : ex));
		}
	}

	/** Whether this process is one the query asks: it runs the service asked for, with every tag asked for. */
	private boolean matches(Map<String, Object> headers) {
		Set<String> here = new LinkedHashSet<>();
		Set<String> tags = new LinkedHashSet<>();
		for (String service : this.services.services()) {
			if (this.properties.runs(service)) {
				here.add(service);
				tags.addAll(this.properties.registry(service).tags());
			}
		}
		Object service = headers.get(ClusterRuntime.SERVICE);
		if (service != null && !here.contains(service.toString())) {
			return false;
		}
		String asked = String.valueOf(headers.getOrDefault(ClusterRuntime.TAGS, ""));
		return asked.isBlank() || tags.containsAll(List.of(asked.split(",")));
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
