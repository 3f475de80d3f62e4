package io.farine.rpc;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Spliterator;
import java.util.concurrent.CompletableFuture;
import java.util.stream.BaseStream;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JavaType;

import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.core.ResolvableType;

/**
 * One method of an {@link RpcClient} interface, decided once when the client is created: the
 * remote method, the timeout, how the result is returned and to what type it is converted. A
 * call is a map lookup and this.
 */
final class RpcClientMethod {

	private final String service;

	private final String name;

	private final Duration timeout;

	private final Shape shape;

	private final JavaType resultType;

	private final @Nullable ReactiveAdapter adapter;

	private final boolean varArgs;

	private RpcClientMethod(String service, String name, Duration timeout, Shape shape, JavaType resultType,
			@Nullable ReactiveAdapter adapter, boolean varArgs) {
		this.service = service;
		this.name = name;
		this.timeout = timeout;
		this.shape = shape;
		this.resultType = resultType;
		this.adapter = adapter;
		this.varArgs = varArgs;
	}

	static RpcClientMethod of(Method method, String service, String name, Duration timeout, RpcResults results) {
		Class<?> returned = method.getReturnType();
		ResolvableType type = ResolvableType.forMethodReturnType(method);
		if (returned == void.class || returned == Void.class) {
			return new RpcClientMethod(service, name, timeout, Shape.VOID, javaType(results, Object.class), null,
					method.isVarArgs());
		}
		if (returned == Stream.class) {
			return new RpcClientMethod(service, name, timeout, Shape.STREAM, element(method, type, results), null,
					method.isVarArgs());
		}
		if (returned == CompletableFuture.class) {
			return new RpcClientMethod(service, name, timeout, Shape.FUTURE, element(method, type, results), null,
					method.isVarArgs());
		}
		ReactiveAdapter adapter = ReactiveAdapterRegistry.getSharedInstance().getAdapter(returned);
		if (adapter != null) {
			return new RpcClientMethod(service, name, timeout, adapter.isMultiValue() ? Shape.MANY : Shape.ONE,
					element(method, type, results), adapter, method.isVarArgs());
		}
		if (Iterator.class.isAssignableFrom(returned) || Spliterator.class.isAssignableFrom(returned)
				|| BaseStream.class.isAssignableFrom(returned)) {
			throw unsupported(method);
		}
		return new RpcClientMethod(service, name, timeout, Shape.VALUE,
				results.codec().type(method.getGenericReturnType()), null, method.isVarArgs());
	}

	private static JavaType element(Method method, ResolvableType type, RpcResults results) {
		ResolvableType element = type.getGeneric(0);
		if (element == ResolvableType.NONE || element.resolve() == null) {
			throw new IllegalStateException(description(method) + " returns " + type + " without an item type; "
					+ "declare one, such as " + method.getReturnType().getSimpleName() + "<JsonNode>.");
		}
		return results.codec().type(element.getType());
	}

	private static JavaType javaType(RpcResults results, Class<?> type) {
		return results.codec().type(type);
	}

	private static IllegalStateException unsupported(Method method) {
		return new IllegalStateException(description(method) + " returns "
				+ ResolvableType.forMethodReturnType(method) + "; use T, void, CompletableFuture<T>, Mono<T>, Flux<T> "
				+ "or Stream<T>.");
	}

	static String description(Method method) {
		return method.getDeclaringClass().getSimpleName() + "." + method.getName();
	}

	@Nullable Object invoke(@Nullable Object @Nullable [] arguments, RpcResults results) {
		List<?> args = arguments(arguments);
		RpcTransport.Call call = new RpcTransport.Call(this.service, this.name, args, Map.of(), this.timeout,
				this.shape == Shape.STREAM || this.shape == Shape.MANY);
		return switch (this.shape) {
			case VALUE -> results.call(call, this.resultType);
			case VOID -> {
				results.call(call, this.resultType);
				yield null;
			}
			case FUTURE -> results.callAsync(call, this.resultType);
			case STREAM -> results.stream(call, this.resultType);
			case ONE -> adapt(Mono.defer(() -> Mono.fromFuture(results.callAsync(call, this.resultType))));
			case MANY -> adapt(results.flux(call, this.resultType));
		};
	}

	private Object adapt(org.reactivestreams.Publisher<?> publisher) {
		ReactiveAdapter current = this.adapter;
		return (current != null) ? current.fromPublisher(publisher) : publisher;
	}

	private List<?> arguments(@Nullable Object @Nullable [] arguments) {
		if (arguments == null || arguments.length == 0) {
			return List.of();
		}
		if (!this.varArgs) {
			return Arrays.asList(arguments);
		}
		List<@Nullable Object> spread = new ArrayList<>(Arrays.asList(arguments).subList(0, arguments.length - 1));
		Object last = arguments[arguments.length - 1];
		if (last != null) {
			for (int i = 0; i < Array.getLength(last); i++) {
				spread.add(Array.get(last, i));
			}
		}
		return spread;
	}

	/** How a method returns its result. */
	private enum Shape {

		/** A value, blocking. */
		VALUE,

		/** Nothing, blocking until the call ended. */
		VOID,

		/** A CompletableFuture. */
		FUTURE,

		/** A Stream of items. */
		STREAM,

		/** A single-value reactive type (Mono, ...). */
		ONE,

		/** A multi-value reactive type (Flux, ...). */
		MANY

	}

}
