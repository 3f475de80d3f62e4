package io.farine.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * Every endpoint the bean post-processor discovered, held until the capability runtimes start
 * them. Discovery opens no connection; this is the hand-over point. Once the singletons are
 * created the set of handlers is frozen: the runtimes start what is here, so a handler found later
 * (on a lazy or prototype bean) would never run, and adding one is an error instead. Each runtime
 * takes only the endpoints of the services this process runs ({@code enabled}, {@code farine.start}),
 * so that rule is applied here, once.
 * <p>
 * Not part of farine's API: public because every capability, and farine-dev, read the discovered
 * endpoints from it.
 */
public final class ServiceEndpoints implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(ServiceEndpoints.class);

	private final Predicate<String> runs;

	private volatile boolean frozen;

	private final List<PublishEndpoint> publishers = new CopyOnWriteArrayList<>();

	private final List<ConsumeEndpoint> consumers = new CopyOnWriteArrayList<>();

	private final List<RpcEndpoint> rpcMethods = new CopyOnWriteArrayList<>();

	private final List<SseEndpoint> sseListeners = new CopyOnWriteArrayList<>();

	private final List<ExecuteEndpoint> executeMethods = new CopyOnWriteArrayList<>();

	private final List<EventEndpoint> events = new CopyOnWriteArrayList<>();

	private final List<QueryEndpoint> queries = new CopyOnWriteArrayList<>();

	private final List<MemberEventEndpoint> memberEvents = new CopyOnWriteArrayList<>();

	private final Set<String> callers = ConcurrentHashMap.newKeySet();

	/**
	 * Creates the hand-over point.
	 * @param runs whether this process runs a service, asked when a runtime takes its endpoints
	 */
	public ServiceEndpoints(Predicate<String> runs) {
		this.runs = runs;
	}

	/**
	 * The service a bean class belongs to: its {@link FarineService} name, else its lower-cased
	 * simple class name (proxies unwrapped).
	 * @param type the bean class
	 * @return the service name, {@code ${...}} placeholders not resolved
	 */
	public static String serviceName(Class<?> type) {
		Class<?> user = ClassUtils.getUserClass(type);
		FarineService annotation = AnnotatedElementUtils.findMergedAnnotation(user, FarineService.class);
		return (annotation != null) ? annotation.value() : user.getSimpleName().toLowerCase(Locale.ROOT);
	}

	/**
	 * The discovered {@code @Publish} fields.
	 * @return an unmodifiable snapshot
	 */
	public List<PublishEndpoint> publishers() {
		return List.copyOf(this.publishers);
	}

	/**
	 * The discovered {@code @Consume} methods.
	 * @return an unmodifiable snapshot
	 */
	public List<ConsumeEndpoint> consumers() {
		return List.copyOf(this.consumers);
	}

	/**
	 * The discovered {@code @RpcMethod} methods.
	 * @return an unmodifiable snapshot
	 */
	public List<RpcEndpoint> rpcMethods() {
		return List.copyOf(this.rpcMethods);
	}

	/**
	 * The discovered {@code @SseListener} methods.
	 * @return an unmodifiable snapshot
	 */
	public List<SseEndpoint> sseListeners() {
		return List.copyOf(this.sseListeners);
	}

	/**
	 * The discovered {@code @Execute} methods.
	 * @return an unmodifiable snapshot
	 */
	public List<ExecuteEndpoint> executeMethods() {
		return List.copyOf(this.executeMethods);
	}

	/**
	 * The discovered {@code @OnEvent} methods.
	 * @return an unmodifiable snapshot
	 */
	public List<EventEndpoint> events() {
		return List.copyOf(this.events);
	}

	/**
	 * The discovered {@code @OnQuery} methods.
	 * @return an unmodifiable snapshot
	 */
	public List<QueryEndpoint> queries() {
		return List.copyOf(this.queries);
	}

	/**
	 * The names of the services that have at least one farine member: an endpoint, or an
	 * {@code @RpcClient} field.
	 * @return the names, sorted
	 */
	public SortedSet<String> services() {
		SortedSet<String> names = new TreeSet<>();
		this.publishers.forEach((endpoint) -> names.add(endpoint.service()));
		this.consumers.forEach((endpoint) -> names.add(endpoint.service()));
		this.rpcMethods.forEach((endpoint) -> names.add(endpoint.service()));
		this.sseListeners.forEach((endpoint) -> names.add(endpoint.service()));
		this.executeMethods.forEach((endpoint) -> names.add(endpoint.service()));
		this.events.forEach((endpoint) -> names.add(endpoint.service()));
		this.queries.forEach((endpoint) -> names.add(endpoint.service()));
		this.memberEvents.forEach((endpoint) -> names.add(endpoint.handler().service()));
		names.addAll(this.callers);
		return names;
	}

	/**
	 * The services of {@link #services()} that this process runs.
	 * @return the names, sorted
	 */
	public SortedSet<String> runningServices() {
		SortedSet<String> names = services();
		names.removeIf(this.runs.negate());
		return names;
	}

	/**
	 * The {@code @Consume} methods of the services this process runs; each other one is logged.
	 * @return the consumers to start
	 */
	public List<ConsumeEndpoint> runningConsumers() {
		return running(this.consumers, ConsumeEndpoint::handler, "does not consume");
	}

	/**
	 * The {@code @RpcMethod} methods of the services this process runs; each other one is logged.
	 * @return the methods to serve
	 */
	public List<RpcEndpoint> runningRpcMethods() {
		return running(this.rpcMethods, RpcEndpoint::handler, "is not served");
	}

	/**
	 * The {@code @SseListener} methods of the services this process runs; each other one is logged.
	 * @return the listeners to start
	 */
	public List<SseEndpoint> runningSseListeners() {
		return running(this.sseListeners, SseEndpoint::handler, "does not listen");
	}

	/**
	 * The {@code @Execute} methods of the services this process runs; each other one is logged.
	 * @return the methods to run
	 */
	public List<ExecuteEndpoint> runningExecuteMethods() {
		return running(this.executeMethods, ExecuteEndpoint::handler, "does not run");
	}

	/**
	 * The {@code @OnEvent} methods of the services this process runs.
	 * @return the methods events go to
	 */
	public List<EventEndpoint> runningEvents() {
		return running(this.events, EventEndpoint::handler, null);
	}

	/**
	 * The {@code @OnQuery} methods of the services this process runs.
	 * @return the methods queries go to
	 */
	public List<QueryEndpoint> runningQueries() {
		return running(this.queries, QueryEndpoint::handler, null);
	}

	/**
	 * The {@code @OnMemberEvent} methods of the services this process runs.
	 * @return the methods member events go to
	 */
	public List<MemberEventEndpoint> runningMemberEvents() {
		return running(this.memberEvents, MemberEventEndpoint::handler, null);
	}

	/**
	 * Adds an {@code @OnMemberEvent} method: its service then runs and registers like any other.
	 * @param endpoint the method
	 * @throws IllegalStateException once the endpoints are frozen
	 */
	public void add(MemberEventEndpoint endpoint) {
		requireOpen(endpoint.handler());
		this.memberEvents.add(endpoint);
	}

	private <E> List<E> running(List<E> endpoints, Function<E, HandlerMethod> handler, @Nullable String idle) {
		List<E> running = new ArrayList<>();
		for (E endpoint : endpoints) {
			HandlerMethod method = handler.apply(endpoint);
			if (this.runs.test(method.service())) {
				running.add(endpoint);
			}
			else if (idle != null) {
				logger.info("Service '" + method.service() + "' is not started (disabled or not in farine.start); "
						+ method + " " + idle);
			}
		}
		return List.copyOf(running);
	}

	/**
	 * Adds an {@code @OnEvent} method: its service then runs and registers like any other.
	 * @param endpoint the method
	 * @throws IllegalStateException once the endpoints are frozen
	 */
	public void add(EventEndpoint endpoint) {
		requireOpen(endpoint.handler());
		this.events.add(endpoint);
	}

	/**
	 * Adds an {@code @OnQuery} method: its service then runs and registers like any other.
	 * @param endpoint the method
	 * @throws IllegalStateException once the endpoints are frozen, or if another method answers the same query
	 */
	public synchronized void add(QueryEndpoint endpoint) {
		requireOpen(endpoint.handler());
		for (QueryEndpoint other : this.queries) {
			if (other.name().equals(endpoint.name())) {
				throw new IllegalStateException(other.handler() + " and " + endpoint.handler() + " both answer query '"
						+ endpoint.name() + "'; one process answers a query once: remove one @OnQuery");
			}
		}
		this.queries.add(endpoint);
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.frozen = true;
	}

	/**
	 * Adds an {@code @SseListener}.
	 * @param endpoint the listener
	 * @throws IllegalStateException once the endpoints are frozen
	 */
	public void add(SseEndpoint endpoint) {
		requireOpen(endpoint.handler());
		this.sseListeners.add(endpoint);
	}

	/**
	 * Adds an {@code @Execute} method.
	 * @param endpoint the method
	 * @throws IllegalStateException once the endpoints are frozen
	 */
	public void add(ExecuteEndpoint endpoint) {
		requireOpen(endpoint.handler());
		this.executeMethods.add(endpoint);
	}

	/**
	 * Adds an {@code @RpcMethod}.
	 * @param endpoint the method
	 * @throws IllegalStateException once the endpoints are frozen, or if the service has a method of that name
	 */
	public void add(RpcEndpoint endpoint) {
		requireOpen(endpoint.handler());
		for (RpcEndpoint other : this.rpcMethods) {
			if (other.queue().equals(endpoint.queue())) {
				throw new IllegalStateException(other.handler() + " and " + endpoint.handler()
						+ " are both RPC method '" + endpoint.name() + "' of service '" + endpoint.service()
						+ "'; rename one with @RpcMethod(name = ...).");
			}
		}
		this.rpcMethods.add(endpoint);
	}

	/**
	 * Adds a {@code @Publish} field; publishers need no runtime to start, so they may come at any time.
	 * @param endpoint the field
	 */
	public void add(PublishEndpoint endpoint) {
		this.publishers.add(endpoint);
	}

	/**
	 * Adds a service whose bean calls others ({@code @RpcClient} fields) and may have no endpoint:
	 * a bean with any farine member is a service, which {@code --start} names like any other.
	 * Like publishers, callers need no runtime to start, so they may come at any time.
	 * @param service the service of the bean
	 */
	public void addCaller(String service) {
		this.callers.add(service);
	}

	/**
	 * Adds a {@code @Consume} method.
	 * @param endpoint the method
	 * @throws IllegalStateException once the endpoints are frozen
	 */
	public void add(ConsumeEndpoint endpoint) {
		requireOpen(endpoint.handler());
		this.consumers.add(endpoint);
	}

	private void requireOpen(HandlerMethod handler) {
		if (this.frozen) {
			throw new IllegalStateException(handler + " of service '" + handler.service() + "' was found after the "
					+ "application started, on a bean created late (lazy or prototype): farine starts its handlers "
					+ "once, so it would never run. Make the bean an eagerly created singleton.");
		}
	}

}
