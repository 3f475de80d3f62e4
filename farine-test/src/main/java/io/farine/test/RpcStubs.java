package io.farine.test;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import io.farine.rpc.RpcClient;
import io.farine.rpc.RpcRemoteException;

import org.springframework.util.ClassUtils;

/**
 * Stubs for an {@link RpcClient @RpcClient} interface, for a unit test without a broker: each
 * call answers what was stubbed for its method and arguments (compared as the JSON they would be
 * sent as), a plain value, a stream of items or a remote error, in whatever form the method
 * returns ({@code T}, {@code CompletableFuture<T>}, {@code Mono<T>}, {@code Flux<T>},
 * {@code Stream<T>}). A call with no stub fails with an {@link AssertionError} listing the stubs.
 * <pre class="code">
 * RpcStubs&lt;CalculatorClient&gt; calculator = RpcStubs.of(CalculatorClient.class);
 * calculator.when("add", 1, 2).thenReturn(3);
 * calculator.when("count", 3).thenStream(0, 1, 2);
 * calculator.when("divide", 1, 0).thenFailRemotely("ZeroDivisionError", "division by zero");
 * CalculatorClient client = calculator.client();
 * </pre>
 * @param <T> the client interface
 */
public final class RpcStubs<T> {

	private static final JsonMapper json = new JsonMapper();

	private final Class<T> type;

	private final String service;

	private final T client;

	private final List<Stub> stubs = Collections.synchronizedList(new ArrayList<>());

	private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());

	private RpcStubs(Class<T> type) {
		if (!type.isInterface()) {
			throw new IllegalArgumentException(type.getName() + " is not an interface; stub an @RpcClient interface");
		}
		RpcClient annotation = type.getAnnotation(RpcClient.class);
		this.type = type;
		this.service = (annotation != null) ? annotation.value() : type.getSimpleName();
		this.client = type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type },
				(proxy, method, args) -> invoke(method, (args != null) ? args : new Object[0])));
	}

	/**
	 * Stubs for a client interface, with no stub yet.
	 * @param <T> the interface
	 * @param type the interface, normally annotated {@code @RpcClient}
	 * @return the stubs
	 */
	public static <T> RpcStubs<T> of(Class<T> type) {
		return new RpcStubs<>(type);
	}

	/**
	 * Starts a stub for a call of a method with these arguments; a later stub of the same call
	 * wins.
	 * @param method the method name
	 * @param args the arguments the call must have
	 * @return what to answer
	 */
	public When when(String method, @Nullable Object... args) {
		if (Arrays.stream(this.type.getMethods()).noneMatch((each) -> each.getName().equals(method))) {
			throw new IllegalArgumentException(this.type.getSimpleName() + " has no method '" + method + "'");
		}
		return new When(method, jsonOf(Arrays.asList(args)));
	}

	/**
	 * The client: the stubbed implementation of the interface.
	 * @return the client
	 */
	public T client() {
		return this.client;
	}

	/**
	 * The client interface.
	 * @return the interface
	 */
	public Class<T> type() {
		return this.type;
	}

	/**
	 * The calls made, oldest first.
	 * @return the calls
	 */
	public List<Call> calls() {
		return List.copyOf(this.calls);
	}

	private @Nullable Object invoke(Method method, Object[] args) {
		if (method.getDeclaringClass() == Object.class) {
			return switch (method.getName()) {
				case "equals" -> this.client == args[0];
				case "hashCode" -> System.identityHashCode(this.client);
				default -> "RpcStubs of " + this.type.getName();
			};
		}
		List<@Nullable Object> arguments = Arrays.asList(args);
		Call call = new Call(method.getName(), arguments);
		this.calls.add(call);
		String key = jsonOf(arguments);
		Stub stub = null;
		synchronized (this.stubs) {
			for (Stub each : this.stubs) {
				if (each.method.equals(method.getName()) && each.args.equals(key)) {
					stub = each;
				}
			}
		}
		if (stub == null) {
			throw new AssertionError(this.type.getSimpleName() + "." + call + " was called but has no stub; stubbed: "
					+ this.stubs);
		}
		return answer(method, stub);
	}

	private @Nullable Object answer(Method method, Stub stub) {
		Class<?> returned = method.getReturnType();
		Type item = (method.getGenericReturnType() instanceof ParameterizedType parameterized)
				? parameterized.getActualTypeArguments()[0] : Object.class;
		RuntimeException failure = stub.failure;
		if (returned == CompletableFuture.class) {
			return (failure != null) ? CompletableFuture.failedFuture(failure)
					: CompletableFuture.completedFuture(convert(stub.single(), item));
		}
		if (returned == Mono.class) {
			return (failure != null) ? Mono.error(failure) : Mono.justOrEmpty(convert(stub.single(), item));
		}
		if (returned == Flux.class) {
			return (failure != null) ? Flux.error(failure) : Flux.fromIterable(convertAll(stub.items, item));
		}
		if (returned == Stream.class) {
			if (failure != null) {
				throw failure;
			}
			return convertAll(stub.items, item).stream();
		}
		if (failure != null) {
			throw failure;
		}
		return (returned == void.class) ? null : convert(stub.single(), method.getGenericReturnType());
	}

	private static List<@Nullable Object> convertAll(List<@Nullable Object> values, Type type) {
		List<@Nullable Object> converted = new ArrayList<>();
		for (Object value : values) {
			converted.add(convert(value, type));
		}
		return converted;
	}

	/** A value as the method's type: as given when it fits, else converted as JSON would be. */
	private static @Nullable Object convert(@Nullable Object value, Type type) {
		if (value == null) {
			return null;
		}
		if (type instanceof Class<?> raw && ClassUtils.isAssignableValue(raw, value)) {
			return value;
		}
		return json.convertValue(value, json.constructType(type));
	}

	private static String jsonOf(List<@Nullable Object> args) {
		return json.writeValueAsString(args);
	}

	/**
	 * One call made to the client.
	 *
	 * @param method the method name
	 * @param args its arguments
	 */
	public record Call(String method, List<@Nullable Object> args) {

		@Override
		public String toString() {
			return this.method + "(" + String.join(", ", this.args.stream().map(String::valueOf).toList()) + ")";
		}

	}

	/** What a stubbed call answers. */
	public final class When {

		private final String method;

		private final String args;

		private When(String method, String args) {
			this.method = method;
			this.args = args;
		}

		/**
		 * Answers a value, converted to the method's return type when it is not one already.
		 * @param value the result; for a streaming method, its one item
		 * @return the stubs, to stub more
		 */
		public RpcStubs<T> thenReturn(@Nullable Object value) {
			return add(Collections.singletonList(value), null);
		}

		/**
		 * Answers items, for a method returning {@code Stream<T>} or {@code Flux<T>}.
		 * @param items the items, in order
		 * @return the stubs, to stub more
		 */
		public RpcStubs<T> thenStream(@Nullable Object... items) {
			return add(Arrays.asList(items), null);
		}

		/**
		 * Fails the call with an exception, such as an {@code RpcTimeoutException}.
		 * @param failure the exception
		 * @return the stubs, to stub more
		 */
		public RpcStubs<T> thenThrow(RuntimeException failure) {
			return add(List.of(), failure);
		}

		/**
		 * Fails the call as the remote method's exception does: with an {@link RpcRemoteException}.
		 * @param remoteType the remote exception's type, such as {@code ValueError}
		 * @param remoteMessage its message
		 * @return the stubs, to stub more
		 */
		public RpcStubs<T> thenFailRemotely(String remoteType, String remoteMessage) {
			return add(List.of(), new RpcRemoteException(RpcStubs.this.service, this.method, remoteType, remoteMessage,
					remoteType + ": " + remoteMessage));
		}

		private RpcStubs<T> add(List<@Nullable Object> items, @Nullable RuntimeException failure) {
			RpcStubs.this.stubs.add(new Stub(this.method, this.args, items, failure));
			return RpcStubs.this;
		}

	}

	/** One stub: a method, its arguments as JSON, and what it answers. */
	private record Stub(String method, String args, List<@Nullable Object> items, @Nullable RuntimeException failure) {

		@Nullable Object single() {
			return this.items.isEmpty() ? null : this.items.get(0);
		}

		@Override
		public String toString() {
			return this.method + "(" + this.args.substring(1, this.args.length() - 1) + ")";
		}

	}

}
