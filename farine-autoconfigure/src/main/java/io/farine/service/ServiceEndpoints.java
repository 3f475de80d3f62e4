package io.farine.service;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * Every endpoint the bean post-processor discovered, held until the capability runtimes start
 * them. Discovery opens no connection; this is the hand-over point. Once the singletons are
 * created the set of handlers is frozen: the runtimes start what is here, so a handler found later
 * (on a lazy or prototype bean) would never run, and adding one is an error instead.
 */
public final class ServiceEndpoints implements SmartInitializingSingleton {

	private volatile boolean frozen;

	private final List<PublishEndpoint> publishers = new CopyOnWriteArrayList<>();

	private final List<ConsumeEndpoint> consumers = new CopyOnWriteArrayList<>();

	private final List<RpcEndpoint> rpcMethods = new CopyOnWriteArrayList<>();

	private final List<SseEndpoint> sseListeners = new CopyOnWriteArrayList<>();

	private final List<ExecuteEndpoint> executeMethods = new CopyOnWriteArrayList<>();

	private final List<HandlerMethod> otherHandlers = new CopyOnWriteArrayList<>();

	private final Set<String> callers = ConcurrentHashMap.newKeySet();

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
	 * The names of the services that have at least one farine member: an endpoint, or an
	 * {@code @RpcClient} field.
	 * @return the names, sorted
	 */
	public java.util.SortedSet<String> services() {
		java.util.SortedSet<String> names = new java.util.TreeSet<>();
		this.publishers.forEach((endpoint) -> names.add(endpoint.service()));
		this.consumers.forEach((endpoint) -> names.add(endpoint.service()));
		this.rpcMethods.forEach((endpoint) -> names.add(endpoint.service()));
		this.sseListeners.forEach((endpoint) -> names.add(endpoint.service()));
		this.executeMethods.forEach((endpoint) -> names.add(endpoint.service()));
		this.otherHandlers.forEach((handler) -> names.add(handler.service()));
		names.addAll(this.callers);
		return names;
	}

	/**
	 * Adds a handler of another kind ({@code @OnEvent}, {@code @OnQuery}): its service then runs
	 * and registers like any other.
	 * @param handler the handler
	 * @throws IllegalStateException once the endpoints are frozen
	 */
	public void addHandler(HandlerMethod handler) {
		requireOpen(handler);
		this.otherHandlers.add(handler);
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
