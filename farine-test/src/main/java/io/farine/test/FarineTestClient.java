package io.farine.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import io.farine.amqp.Broker;
import io.farine.amqp.BrokerConnections;
import io.farine.amqp.OutboundMessage;
import io.farine.amqp.Wire;
import io.farine.config.FarineProperties;
import io.farine.observation.FarineObservation;
import io.farine.config.ServiceSettings;
import io.farine.rpc.RpcClientFactory;
import io.farine.rpc.RpcOperations;
import io.farine.service.ConsumeEndpoint;
import io.farine.service.EventEndpoint;
import io.farine.service.HandlerMethod;
import io.farine.service.JsonCodec;
import io.farine.service.QueryEndpoint;
import io.farine.service.ServiceEndpoints;
import io.farine.service.SseEndpoint;

import org.springframework.beans.factory.DisposableBean;

/**
 * Drives a running application the way its peers do, for a {@link FarineTest}: publishes to its
 * exchanges, waits for its {@code @Consume} handlers and says what became of the message (and for
 * its {@code @OnEvent}, {@code @OnQuery} and {@code @SseListener} methods), calls
 * its RPC methods, and catches what it publishes. Every wait ends after the timeout
 * ({@code farine.test.timeout}, 10 s by default) with an {@link AssertionError} that lists what
 * did arrive.
 */
public final class FarineTestClient implements DisposableBean {

	private final HandlingRecorder recorder;

	private final ServiceEndpoints endpoints;

	private final FarineProperties properties;

	private final BrokerConnections brokers;

	private final JsonCodec codec;

	private final RpcClientFactory rpc;

	private final Duration timeout;

	private final List<PublishedMessages> captures;

	/** Per handler method, the number of the first call a wait may still take in this test. */
	private final Map<String, Long> taken;

	/** The id of the last message published through this client. */
	private volatile @Nullable String lastPublished;

	/** The number of the first message {@link #awaitHandled} may take when nothing was published. */
	private volatile long since;

	FarineTestClient(HandlingRecorder recorder, ServiceEndpoints endpoints, FarineProperties properties,
			BrokerConnections brokers, JsonCodec codec, RpcClientFactory rpc, Duration timeout) {
		this(recorder, endpoints, properties, brokers, codec, rpc, timeout, new CopyOnWriteArrayList<>(),
				new ConcurrentHashMap<>());
	}

	private FarineTestClient(HandlingRecorder recorder, ServiceEndpoints endpoints, FarineProperties properties,
			BrokerConnections brokers, JsonCodec codec, RpcClientFactory rpc, Duration timeout,
			List<PublishedMessages> captures, Map<String, Long> taken) {
		this.recorder = recorder;
		this.endpoints = endpoints;
		this.properties = properties;
		this.brokers = brokers;
		this.codec = codec;
		this.rpc = rpc;
		this.timeout = timeout;
		this.captures = captures;
		this.taken = taken;
	}

	/**
	 * Publishes a JSON message, as a peer would, and waits for the broker's confirm.
	 * @param exchange the exchange
	 * @param routingKey the routing key
	 * @param body a {@code Map}, record or POJO sent as JSON; a {@code byte[]} is sent as is
	 * @return the message's id ({@code message_id})
	 * @throws AssertionError if the broker did not confirm it within the timeout, or no queue took it
	 */
	public String publish(String exchange, String routingKey, Object body) {
		ServiceSettings settings = this.properties.service(exchange);
		String id = Wire.newId();
		byte[] json = (body instanceof byte[] bytes) ? bytes : this.codec.write(body);
		OutboundMessage message = new OutboundMessage(settings.name(), exchange, routingKey, id, true,
				Map.of(HandlingRecorder.TEST_ID_HEADER, id), null, json);
		try {
			this.brokers.broker(settings)
				.publish(message, settings)
				.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new AssertionError("Publishing to exchange '" + exchange + "' with routing key '" + routingKey
					+ "' failed: " + ((ex.getCause() != null) ? ex.getCause() : ex), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while publishing to exchange '" + exchange + "'", ex);
		}
		this.lastPublished = id;
		return id;
	}

	/**
	 * Waits until a handler finished. A {@code @Consume} handler: with the last message this
	 * client published in this test (or, when it published none, with any message finished since
	 * the test began), retries and dead-lettering included. An {@code @OnEvent}, {@code @OnQuery}
	 * or {@code @SseListener} method: a call that finished since the test began and that no
	 * earlier wait of this test returned, so that successive waits take successive calls.
	 * @param handler the handler, {@code service.method} such as {@code orders.onOrder}
	 * @return what became of the message, or of the call
	 * @throws AssertionError if the handler did not finish within the timeout, listing the
	 * messages and calls finished meanwhile
	 * @throws IllegalArgumentException if the application has no such handler
	 */
	public Handling awaitHandled(String handler) {
		Set<Target> targets = targets(handler);
		boolean consume = targets.iterator().next().kind().equals(HandlingRecorder.CONSUME);
		String service = handler.substring(0, handler.indexOf('.'));
		String id = consume ? this.lastPublished : null;
		long since = consume ? this.since : Math.max(this.since, this.taken.getOrDefault(handler, 0L));
		HandlingRecorder.Consumed consumed;
		try {
			consumed = this.recorder.await((each) -> each.service().equals(service)
					&& targets.contains(new Target(each.kind(), each.queue()))
					&& ((id != null) ? id.equals(each.testId()) : each.number() >= since), this.timeout);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting for " + handler, ex);
		}
		if (consumed == null) {
			throw new AssertionError(handler + " did not finish with "
					+ ((id != null) ? "message " + id : consume ? "a message" : "another call") + " within "
					+ this.timeout + "; finished meanwhile: " + describe(this.recorder.consumed()));
		}
		if (!consume) {
			this.taken.merge(handler, consumed.number() + 1, Math::max);
		}
		return consumed.handling(handler);
	}

	/**
	 * Calls an RPC method through farine's RPC client, and waits for its result.
	 * @param service the service
	 * @param method the method
	 * @param args the positional arguments
	 * @return the result as JSON
	 * @throws io.farine.rpc.RpcException if the call failed or timed out (after the client's timeout)
	 */
	public JsonNode call(String service, String method, @Nullable Object... args) {
		return rpc(service).request(method).args(args).timeout(this.timeout).call();
	}

	/**
	 * Calls a streaming RPC method and reads every item, each within the timeout.
	 * @param <T> the item type
	 * @param service the service
	 * @param method the method
	 * @param itemType the item type
	 * @param args the positional arguments
	 * @return the items, in order
	 * @throws io.farine.rpc.RpcException if the call failed or an item did not come in time
	 */
	public <T> List<T> stream(String service, String method, Class<T> itemType, @Nullable Object... args) {
		try (Stream<T> items = rpc(service).request(method).args(args).timeout(this.timeout).stream(itemType)) {
			return items.toList();
		}
	}

	/**
	 * farine's dynamic client of a service, for keyword arguments, typed results and fluxes.
	 * @param service the service
	 * @return the client
	 */
	public RpcOperations rpc(String service) {
		return this.rpc.operations(service);
	}

	/**
	 * Starts catching what is published to an exchange with a routing key, events and answers
	 * alike: ask before the application publishes.
	 * @param exchange the exchange
	 * @param routingKey the binding key ({@code #} on a topic exchange catches every key; any on a fanout one)
	 * @return the messages, caught from now on
	 */
	public PublishedMessages published(String exchange, String routingKey) {
		ServiceSettings settings = this.properties.service(exchange);
		Broker broker = this.brokers.broker(settings);
		PublishedMessages messages = new PublishedMessages(broker.connectionFactory(),
				broker.exchange(exchange, settings), routingKey, this.codec, this.timeout);
		this.captures.add(messages);
		return messages;
	}

	/**
	 * A client whose waits last another time, such as a short one for a test that expects
	 * nothing more to arrive; it starts from this client's last published message, and what it
	 * catches is released with this client.
	 * @param timeout the timeout
	 * @return the client
	 */
	public FarineTestClient withTimeout(Duration timeout) {
		FarineTestClient client = new FarineTestClient(this.recorder, this.endpoints, this.properties, this.brokers,
				this.codec, this.rpc, timeout, this.captures, this.taken);
		client.lastPublished = this.lastPublished;
		client.since = this.since;
		return client;
	}

	/**
	 * How long every wait of this client lasts at most.
	 * @return the timeout
	 */
	public Duration timeout() {
		return this.timeout;
	}

	/**
	 * Forgets the last message published, so that {@link #awaitHandled} waits for a message
	 * finished from now on: done before each test method of a {@link FarineTest}, whose client
	 * the tests of a cached context share.
	 */
	void reset() {
		this.lastPublished = null;
		this.taken.clear();
		this.since = this.recorder.next();
	}

	/** What a handler's observations name: its queues, or its method. */
	private Set<Target> targets(String handler) {
		int dot = handler.indexOf('.');
		List<String> known = new ArrayList<>();
		Set<Target> targets = new HashSet<>();
		for (ConsumeEndpoint consumer : this.endpoints.consumers()) {
			String name = consumer.service() + "." + consumer.handler().method().getName();
			known.add(name);
			if (dot > 0 && name.equals(handler)) {
				targets.add(new Target(HandlingRecorder.CONSUME, consumer.queue()));
			}
		}
		if (targets.isEmpty()) {
			method(handler, FarineObservation.EVENT, this.endpoints.events().stream().map(EventEndpoint::handler),
					known, targets);
			method(handler, FarineObservation.QUERY, this.endpoints.queries().stream().map(QueryEndpoint::handler),
					known, targets);
			method(handler, FarineObservation.SSE, this.endpoints.sseListeners().stream().map(SseEndpoint::handler),
					known, targets);
		}
		if (targets.isEmpty()) {
			throw new IllegalArgumentException("No @Consume, @OnEvent, @OnQuery or @SseListener handler '" + handler
					+ "' (service.method); the application has " + known);
		}
		return targets;
	}

	private static void method(String handler, FarineObservation kind, Stream<HandlerMethod> methods,
			List<String> known, Set<Target> targets) {
		methods.forEach((method) -> {
			String name = method.service() + "." + method.method().getName();
			known.add(name);
			if (name.equals(handler)) {
				targets.add(new Target(kind.getName(), method.method().getName()));
			}
		});
	}

	private static String describe(List<HandlingRecorder.Consumed> consumed) {
		if (consumed.isEmpty()) {
			return "none";
		}
		List<HandlingRecorder.Consumed> last = consumed.subList(Math.max(0, consumed.size() - 20), consumed.size());
		return ((consumed.size() > last.size()) ? "(last 20 of " + consumed.size() + ") " : "") + last;
	}

	/**
	 * What an observation of a handler names.
	 * @param kind the observation's name
	 * @param queue its queue, or its method for a handler method
	 */
	private record Target(String kind, String queue) {
	}

	@Override
	public void destroy() {
		for (PublishedMessages messages : this.captures) {
			try {
				messages.close();
			}
			catch (RuntimeException ex) {
				// the broker may be gone already at shutdown; the queue is auto-delete
			}
		}
		this.captures.clear();
	}

}
