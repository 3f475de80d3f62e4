package io.farine.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.farine.amqp.Broker;
import io.farine.amqp.BrokerConnections;
import io.farine.amqp.DeadLetterQueues;
import io.farine.config.FarineProperties;
import io.farine.execute.ExecuteMethods;
import io.farine.execute.ExecuteState;
import io.farine.registry.EtcdServiceRegistry;
import io.farine.service.ServiceEndpoints;
import io.farine.sse.SseListenerState;
import io.farine.sse.SseListeners;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.Selector.Match;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.context.ApplicationContext;

/**
 * {@code GET /actuator/farine}: each service of this process with its endpoints (exchanges,
 * queues, RPC methods, SSE listeners with their state, {@code @Execute} methods with their runs),
 * the registry's state and instance id, and the brokers (passwords masked). What an operator
 * asks a running farine process, without reading its configuration.
 * <p>
 * Below it, one operation per HTTP method takes the rest of the path and dispatches on its first
 * segment: {@code dead-letters} ({@link DeadLetterRequests}).
 */
@Endpoint(id = "farine")
public final class FarineEndpoint {

	private final ServiceEndpoints endpoints;

	private final FarineProperties properties;

	private final BrokerConnections brokers;

	private final ObjectProvider<SseListeners> sse;

	private final ObjectProvider<ExecuteMethods> execute;

	private final ObjectProvider<EtcdServiceRegistry> registry;

	private final DeadLetterRequests deadLetters;

	private final MemberRequests members;

	private final AsyncApiOperation asyncApi;

	/**
	 * Creates the endpoint.
	 * @param endpoints the services' endpoints
	 * @param properties the configuration: which services run
	 * @param brokers the brokers in use
	 * @param sse the SSE listeners' state
	 * @param execute the {@code @Execute} methods' runs
	 * @param registry the etcd registry, if the application has one
	 * @param context the application, which the AsyncAPI document describes
	 */
	public FarineEndpoint(ServiceEndpoints endpoints, FarineProperties properties, BrokerConnections brokers,
			ObjectProvider<SseListeners> sse, ObjectProvider<ExecuteMethods> execute,
			ObjectProvider<EtcdServiceRegistry> registry, ApplicationContext context) {
		this.endpoints = endpoints;
		this.properties = properties;
		this.brokers = brokers;
		this.sse = sse;
		this.execute = execute;
		this.registry = registry;
		this.deadLetters = new DeadLetterRequests(new DeadLetterQueues(endpoints, properties, brokers));
		this.members = new MemberRequests(registry);
		this.asyncApi = new AsyncApiOperation(context);
	}

	/**
	 * What this process serves.
	 * @return the description
	 */
	@ReadOperation
	public FarineDescription farine() {
		List<SseListenerState> listeners = this.sse.stream().flatMap((runner) -> runner.listeners().stream()).toList();
		List<ExecuteState> runs = this.execute.stream().flatMap((runner) -> runner.methods().stream()).toList();
		Map<String, ServiceDescription> services = new LinkedHashMap<>();
		for (String service : this.endpoints.services()) {
			services.put(service, service(service, listeners, runs));
		}
		EtcdServiceRegistry etcd = this.registry.getIfAvailable();
		RegistryDescription registry = (etcd != null)
				? new RegistryDescription(etcd.state().name(), etcd.instanceId(), etcd.etcdDescription()) : null;
		return new FarineDescription(services, registry,
				this.brokers.brokers().stream().map(FarineEndpoint::broker).sorted().toList(), this.properties.start());
	}

	/**
	 * {@code GET /actuator/farine/<path>}.
	 * @param path the path below the endpoint
	 * @param limit how many messages to show, where the path shows messages
	 * @return the answer, or 404 for a path the endpoint does not have
	 */
	@ReadOperation
	public WebEndpointResponse<Object> read(@Selector(match = Match.ALL_REMAINING) String[] path,
			@Nullable Integer limit) {
		return switch (first(path)) {
			case DeadLetterRequests.PATH -> this.deadLetters.read(path, limit);
			case MemberRequests.PATH -> this.members.read(path);
			case "asyncapi" -> (path.length == 1) ? new WebEndpointResponse<>(this.asyncApi.document())
					: unknownPath(path);
			default -> unknownPath(path);
		};
	}

	/**
	 * {@code POST /actuator/farine/<path>}.
	 * Takes no parameter, so that it needs no request body and no {@code Content-Type}.
	 * @param path the path below the endpoint
	 * @return the answer, or 404 for a path the endpoint does not have
	 */
	@WriteOperation
	public WebEndpointResponse<Object> write(@Selector(match = Match.ALL_REMAINING) String[] path) {
		return switch (first(path)) {
			case DeadLetterRequests.PATH -> this.deadLetters.write(path);
			default -> unknownPath(path);
		};
	}

	/**
	 * {@code DELETE /actuator/farine/<path>}.
	 * @param path the path below the endpoint
	 * @param confirm the name of what is deleted, repeated
	 * @return the answer, or 404 for a path the endpoint does not have
	 */
	@DeleteOperation
	public WebEndpointResponse<Object> delete(@Selector(match = Match.ALL_REMAINING) String[] path,
			@Nullable String confirm) {
		return switch (first(path)) {
			case DeadLetterRequests.PATH -> this.deadLetters.delete(path, confirm);
			case MemberRequests.PATH -> this.members.delete(path);
			default -> unknownPath(path);
		};
	}

	private static String first(String[] path) {
		return (path.length > 0) ? path[0] : "";
	}

	static WebEndpointResponse<Object> unknownPath(String[] path) {
		return new WebEndpointResponse<>(Map.of("error", "The farine endpoint has no path '" + String.join("/", path)
				+ "' for this method; see docs/operations.md"), WebEndpointResponse.STATUS_NOT_FOUND);
	}

	/** Its nodes, and for {@code amqps://} how it is trusted: services on one URI may trust it differently. */
	private static String broker(Broker broker) {
		return (broker.tls() != null) ? broker.description() + " (TLS: " + broker.tls() + ")" : broker.description();
	}

	private ServiceDescription service(String service, List<SseListenerState> listeners, List<ExecuteState> runs) {
		return new ServiceDescription(this.properties.runs(service),
				this.endpoints.publishers()
					.stream()
					.filter((publisher) -> publisher.service().equals(service))
					.map((publisher) -> new PublisherDescription(publisher.field().getDeclaringClass().getSimpleName()
							+ "." + publisher.field().getName(), publisher.exchange(), publisher.routingKey()))
					.toList(),
				this.endpoints.consumers()
					.stream()
					.filter((consumer) -> consumer.service().equals(service))
					.map((consumer) -> new ConsumerDescription(consumer.handler().description(), consumer.exchange(),
							consumer.routingKey(), consumer.queue()))
					.toList(),
				this.endpoints.rpcMethods()
					.stream()
					.filter((method) -> method.service().equals(service))
					.map((method) -> new RpcMethodDescription(method.name(), method.handler().description(),
							method.queue(), method.streaming()))
					.toList(),
				listeners.stream().filter((listener) -> belongsTo(listener.listener(), service, true)).toList(),
				runs.stream().filter((run) -> belongsTo(run.method(), service, false)).toList());
	}

	private boolean belongsTo(String method, String service, boolean sse) {
		return (sse ? this.endpoints.sseListeners().stream().map((listener) -> listener.handler())
				: this.endpoints.executeMethods().stream().map((execution) -> execution.handler()))
			.anyMatch((handler) -> handler.service().equals(service) && handler.description().equals(method));
	}

	/**
	 * The endpoint's answer.
	 *
	 * @param services each service, by name
	 * @param registry the etcd registry, or {@code null} without one
	 * @param brokers the brokers in use, passwords masked
	 * @param start the services {@code farine.start} names (empty: all)
	 */
	public record FarineDescription(Map<String, ServiceDescription> services, @Nullable RegistryDescription registry,
			List<String> brokers, List<String> start) {
	}

	/**
	 * One service.
	 *
	 * @param running whether it runs in this process ({@code enabled} and {@code farine.start})
	 * @param publishers its {@code @Publish} fields
	 * @param consumers its {@code @Consume} methods
	 * @param rpcMethods its {@code @RpcMethod}s
	 * @param sseListeners its {@code @SseListener}s and what they are doing
	 * @param executeMethods its {@code @Execute} methods and their runs
	 */
	public record ServiceDescription(boolean running, List<PublisherDescription> publishers,
			List<ConsumerDescription> consumers, List<RpcMethodDescription> rpcMethods,
			List<SseListenerState> sseListeners, List<ExecuteState> executeMethods) {
	}

	/**
	 * A {@code @Publish} field.
	 *
	 * @param field the field
	 * @param exchange the exchange
	 * @param routingKey the default routing key
	 */
	public record PublisherDescription(String field, String exchange, String routingKey) {
	}

	/**
	 * A {@code @Consume} method.
	 *
	 * @param method the method
	 * @param exchange the exchange its queue is bound to
	 * @param routingKey the binding key
	 * @param queue the queue
	 */
	public record ConsumerDescription(String method, String exchange, String routingKey, String queue) {
	}

	/**
	 * An {@code @RpcMethod}.
	 *
	 * @param name the RPC name
	 * @param method the Java method
	 * @param queue the request queue
	 * @param streaming whether an iterable result is streamed
	 */
	public record RpcMethodDescription(String name, String method, String queue, boolean streaming) {
	}

	/**
	 * The registry.
	 *
	 * @param state {@code OFF}, {@code REGISTERING}, {@code REGISTERED} or {@code STOPPED}
	 * @param instanceId this process's instance id
	 * @param etcd the etcd endpoints, or {@code null} when the registry is off
	 */
	public record RegistryDescription(String state, String instanceId, @Nullable String etcd) {
	}

}
