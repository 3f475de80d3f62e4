package io.farine.rpc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;

import io.farine.amqp.BrokerConnections;
import io.farine.config.FarineProperties;
import io.farine.observation.FarineObservations;
import io.farine.service.FarineThreads;
import io.farine.service.JsonCodec;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringValueResolver;

/**
 * Makes RPC clients: typed {@link RpcClient} interface proxies and {@link RpcOperations}. farine
 * registers a proxy bean for each {@code @RpcClient} interface in the application's packages; call
 * {@link #client(Class)} for one elsewhere. All clients share one reply queue per broker. Creating
 * a client opens no connection; the first call does.
 */
public final class RpcClientFactory implements DisposableBean {

	private final FarineProperties properties;

	private final StringValueResolver placeholders;

	private final RpcTransport transport;

	private final RpcResults results;

	/**
	 * Creates the factory.
	 * @param properties the configuration: each called service's {@code amqp_uri} and {@code rpc_timeout}
	 * @param brokers the broker connections
	 * @param codec writes requests and converts replies
	 * @param placeholders resolves {@code ${...}} in annotation attributes
	 * @param registry the service registry, if any: a call to a service with no live instance then fails at once
	 * @param observations observes each call
	 * @param threads makes the thread that checks the calls' timeouts
	 */
	RpcClientFactory(FarineProperties properties, BrokerConnections brokers, JsonCodec codec,
			StringValueResolver placeholders, java.util.function.Supplier<io.farine.registry.@Nullable ServiceRegistry> registry,
			FarineObservations observations, FarineThreads threads) {
		this(properties, placeholders,
				new AmqpRpcTransport(properties, brokers, codec, registry, observations, threads), codec);
	}

	RpcClientFactory(FarineProperties properties, StringValueResolver placeholders, RpcTransport transport,
			ObjectMapper mapper) {
		this(properties, placeholders, transport, new JsonCodec(mapper));
	}

	RpcClientFactory(FarineProperties properties, StringValueResolver placeholders, RpcTransport transport,
			JsonCodec codec) {
		this.properties = properties;
		this.placeholders = placeholders;
		this.transport = transport;
		this.results = new RpcResults(transport, codec);
	}

	/**
	 * Calls made by this application waiting for their reply: a metric.
	 * @return how many calls are in flight
	 */
	public int inFlight() {
		return this.transport.inFlight();
	}

	/**
	 * A client calling a service's methods by name, waiting at most the service's {@code rpc_timeout}.
	 * @param service the service to call
	 * @return the client
	 */
	public RpcOperations operations(String service) {
		return operations(service, "");
	}

	/**
	 * A client calling a service's methods by name.
	 * @param service the service to call
	 * @param timeout the default timeout, such as {@code "2s"}; empty for the service's {@code rpc_timeout}
	 * @return the client
	 */
	public RpcOperations operations(String service, String timeout) {
		return new DefaultRpcOperations(service, timeout(timeout, null, service), this.results);
	}

	/**
	 * A client implementing an {@link RpcClient} interface.
	 * @param <T> the interface type
	 * @param type the interface
	 * @return the client
	 * @throws IllegalStateException if the type is not an {@code @RpcClient} interface or a method
	 * returns a type a call cannot produce
	 */
	public <T> T client(Class<T> type) {
		RpcClient annotation = AnnotatedElementUtils.findMergedAnnotation(type, RpcClient.class);
		if (!type.isInterface() || annotation == null) {
			throw new IllegalStateException(type.getName() + " is not an interface annotated with @RpcClient");
		}
		String service = resolve(annotation.value());
		if (service.isBlank()) {
			throw new IllegalStateException("@RpcClient on " + type.getName() + " names no service");
		}
		Duration clientTimeout = timeout(annotation.timeout(), null, service);
		Map<Method, RpcClientMethod> methods = new HashMap<>();
		Map<Method, OneWayMethod> oneWay = new HashMap<>();
		ReflectionUtils.doWithMethods(type, (method) -> {
			RpcCall call = AnnotatedElementUtils.findMergedAnnotation(method, RpcCall.class);
			String name = (call != null && !call.name().isEmpty()) ? resolve(call.name()) : method.getName();
			if (AnnotatedElementUtils.hasAnnotation(method, OneWay.class)) {
				oneWay.put(method, OneWayMethod.of(method, service, name));
				return;
			}
			Duration timeout = (call != null) ? timeout(call.timeout(), clientTimeout, service) : clientTimeout;
			methods.put(method, RpcClientMethod.of(method, service, name, timeout, this.results));
		}, (method) -> !method.isDefault() && !java.lang.reflect.Modifier.isStatic(method.getModifiers())
				&& method.getDeclaringClass() != Object.class);
		InvocationHandler handler = new Handler(type, service, methods, oneWay, this.results);
		return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, handler));
	}

	private Duration timeout(String text, @Nullable Duration inherited, String service) {
		String resolved = resolve(text);
		if (!resolved.isBlank()) {
			Duration timeout = DurationStyle.detectAndParse(resolved.strip(), ChronoUnit.SECONDS);
			if (timeout.isNegative() || timeout.isZero()) {
				throw new IllegalStateException("RPC timeout '" + text + "' for service '" + service
						+ "' is not positive");
			}
			return timeout;
		}
		return (inherited != null) ? inherited : this.properties.service(service).rpcTimeout();
	}

	private String resolve(String text) {
		if (text.isEmpty()) {
			return text;
		}
		String resolved = this.placeholders.resolveStringValue(text);
		return (resolved != null) ? resolved : "";
	}

	@Override
	public void destroy() throws Exception {
		this.transport.close();
	}

	/** Dispatches the calls of one interface proxy. */
	private record Handler(Class<?> type, String service, Map<Method, RpcClientMethod> methods,
			Map<Method, OneWayMethod> oneWay, RpcResults results) implements InvocationHandler {

		@Override
		public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] args)
				throws Throwable {
			RpcClientMethod call = this.methods.get(method);
			if (call != null) {
				return call.invoke(args, this.results);
			}
			OneWayMethod signal = this.oneWay.get(method);
			if (signal != null) {
				return signal.invoke(args, this.results);
			}
			if (method.isDefault()) {
				return InvocationHandler.invokeDefault(proxy, method, args);
			}
			return switch (method.getName()) {
				case "equals" -> proxy == ((args != null) ? args[0] : null);
				case "hashCode" -> System.identityHashCode(proxy);
				case "toString" -> "RpcClient[" + this.type.getSimpleName() + " -> " + this.service + "]";
				default -> throw new UnsupportedOperationException(method.toString());
			};
		}

	}

}
