package io.farine.service;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;

/**
 * How a handler's asynchronous result ({@code Mono}, {@code Flux}, {@code CompletableFuture},
 * whatever Spring's {@link ReactiveAdapterRegistry} knows) is waited for: one rule for every
 * capability that sends a handler's result on (an RPC reply, a query answer). Chosen once per
 * method, at discovery, from its declared return type; a method declared to return
 * {@code Object} is looked at per call, and only when its result is a {@link Publisher} or a
 * {@link CompletionStage}.
 * <p>
 * Not part of farine's API: public because autoconfigure chooses it at discovery and the rpc and
 * cluster packages adapt results with it.
 */
public final class ResultAdapter {

	private static final ReactiveAdapterRegistry registry = ReactiveAdapterRegistry.getSharedInstance();

	/** The adapter of a method whose result is never asynchronous. */
	private static final ResultAdapter NONE = new ResultAdapter(null, false);

	/** The adapter of a method declared to return {@code Object}. */
	private static final ResultAdapter ANY = new ResultAdapter(null, true);

	private final @Nullable ReactiveAdapter adapter;

	private final boolean perCall;

	private ResultAdapter(@Nullable ReactiveAdapter adapter, boolean perCall) {
		this.adapter = adapter;
		this.perCall = perCall;
	}

	/**
	 * The adapter of a method's declared return type.
	 * @param returnType what the method declares it returns
	 * @return the adapter
	 */
	public static ResultAdapter of(Class<?> returnType) {
		if (returnType == Object.class) {
			return ANY;
		}
		ReactiveAdapter adapter = registry.getAdapter(returnType);
		return (adapter != null) ? new ResultAdapter(adapter, false) : NONE;
	}

	/**
	 * Whether the declared return type has many values (a {@code Flux}): items to stream.
	 * @return true for a multi-value type
	 */
	public boolean multiValue() {
		return this.adapter != null && this.adapter.isMultiValue();
	}

	/**
	 * Whether a result is one this adapter waits for, and with how many values.
	 * @param result what the handler returned
	 * @return its adapter, or {@code null} when it is a plain value
	 */
	private @Nullable ReactiveAdapter adapterOf(@Nullable Object result) {
		if (result == null) {
			return null;
		}
		ReactiveAdapter known = this.adapter;
		if (known != null) {
			return known.getReactiveType().isInstance(result) ? known : null;
		}
		if (this.perCall && (result instanceof Publisher<?> || result instanceof CompletionStage<?>)) {
			return registry.getAdapter(null, result);
		}
		return null;
	}

	/**
	 * Whether a result has many values to stream ({@link #items}), as a {@code Flux} has.
	 * @param result what the handler returned
	 * @return true for a multi-value result
	 */
	public boolean streams(@Nullable Object result) {
		ReactiveAdapter found = adapterOf(result);
		return found != null && found.isMultiValue();
	}

	/**
	 * The items of a multi-value result, in order; they end early, with no error, when the
	 * timeout passes.
	 * @param result a result for which {@link #streams} is true
	 * @param timeout how long the items may take in all
	 * @return the items, read as they come
	 */
	public Iterator<?> items(Object result, Duration timeout) {
		ReactiveAdapter found = adapterOf(result);
		if (found == null || !found.isMultiValue()) {
			throw new IllegalArgumentException(result.getClass().getName() + " is not a multi-value result");
		}
		return Flux.from(found.toPublisher(result)).timeout(timeout, Flux.empty()).toIterable().iterator();
	}

	/**
	 * The value of a result: a single-value one ({@code Mono}, future) waited for; a multi-value
	 * one collected into a list; any other as it is.
	 * @param result what the handler returned
	 * @param timeout how long to wait
	 * @return the value
	 * @throws IllegalStateException if the value does not come within the timeout
	 */
	public @Nullable Object await(@Nullable Object result, Duration timeout) {
		ReactiveAdapter found = adapterOf(result);
		if (found == null) {
			return result;
		}
		if (found.isMultiValue()) {
			return Flux.from(found.toPublisher(result)).collectList().block(timeout);
		}
		return Mono.from(found.toPublisher(result)).block(timeout);
	}

}
