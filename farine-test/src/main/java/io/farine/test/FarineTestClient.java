package io.farine.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import io.farine.config.ServiceSettings;
import io.farine.rpc.RpcClientFactory;
import io.farine.rpc.RpcOperations;
import io.farine.service.ConsumeEndpoint;
import io.farine.service.JsonCodec;
import io.farine.service.ServiceEndpoints;

import org.springframework.beans.factory.DisposableBean;

/**
 * Drives a running application the way its peers do, for a {@link FarineTest}: publishes to its
 * exchanges, waits for its {@code @Consume} handlers and says what became of the message, calls
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

	/** The id of the last message published through this client. */
	private volatile @Nullable String lastPublished;

	/** The number of the first message {@link #awaitHandled} may take when nothing was published. */
	private volatile long since;

	FarineTestClient(HandlingRecorder recorder, ServiceEndpoints endpoints, FarineProperties properties,
			BrokerConnections brokers, JsonCodec codec, RpcClientFactory rpc, Duration timeout) {
		this(recorder, endpoints, properties, brokers, codec, rpc, timeout, new CopyOnWriteArrayList<>());
	}

	private FarineTestClient(HandlingRecorder recorder, ServiceEndpoints endpoints, FarineProperties properties,
			BrokerConnections brokers, JsonCodec codec, RpcClientFactory rpc, Duration timeout,
			List<PublishedMessages> captures) {
		this.recorder = recorder;
		this.endpoints = endpoints;
		this.properties = properties;
		this.brokers = brokers;
		this.codec = codec;
		this.rpc = rpc;
		this.timeout = timeout;
		this.captures = captures;
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
	 * Waits until a {@code @Consume} handler finished with the last message this client
	 * published in this test (or, when it published none, with any message finished since the
	 * test began), retries and dead-lettering included.
	 * @param handler the handler, {@code service.method} such as {@code orders.onOrder}
	 * @return what became of the message
	 * @throws AssertionError if the handler did not finish with it within the timeout, listing
	 * the messages that were finished with meanwhile
	 * @throws IllegalArgumentException if the application has no such handler
	 */
	public Handling awaitHandled(String handler) {
		List<String> queues = queues(handler);
		String service = handler.substring(0, handler.indexOf('.'));
		String id = this.lastPublished;
		long since = this.since;
		HandlingRecorder.Consumed consumed;
		try {
			consumed = this.recorder.await((each) -> each.service().equals(service) && queues.contains(each.queue())
					&& ((id != null) ? id.equals(each.testId()) : each.number() >= since), this.timeout);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting for " + handler, ex);
		}
		if (consumed == null) {
			throw new AssertionError(handler + " did not finish with " + ((id != null) ? "message " + id : "a message")
					+ " within " + this.timeout + "; finished meanwhile: " + describe(this.recorder.consumed()));
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
				this.codec, this.rpc, timeout, this.captures);
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
		this.since = this.recorder.next();
	}

	/** The queues a handler consumes. */
	private List<String> queues(String handler) {
		int dot = handler.indexOf('.');
		List<String> known = new ArrayList<>();
		List<String> queues = new ArrayList<>();
		for (ConsumeEndpoint consumer : this.endpoints.consumers()) {
			String name = consumer.service() + "." + consumer.handler().method().getName();
			known.add(name);
			if (dot > 0 && name.equals(handler)) {
				queues.add(consumer.queue());
			}
		}
		if (queues.isEmpty()) {
			throw new IllegalArgumentException("No @Consume handler '" + handler + "' (service.method); the "
					+ "application has " + known);
		}
		return queues;
	}

	private static String describe(List<HandlingRecorder.Consumed> consumed) {
		if (consumed.isEmpty()) {
			return "none";
		}
		List<HandlingRecorder.Consumed> last = consumed.subList(Math.max(0, consumed.size() - 20), consumed.size());
		return ((consumed.size() > last.size()) ? "(last 20 of " + consumed.size() + ") " : "") + last;
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
