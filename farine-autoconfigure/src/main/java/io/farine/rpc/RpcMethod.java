package io.farine.rpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Serves a method of a service bean over RPC, as {@code <service>.<name>}: the Python original's
 * {@code @farine.rpc.method()}. Arguments arrive from the request's {@code args} (by position) and
 * {@code kwargs} (by parameter name), converted to the declared types; a parameter of type
 * {@link RpcArguments} receives the request as it came.
 * <p>
 * What the method returns is the reply: one item for a plain value (including {@code null},
 * {@code 0}, {@code ""}, {@code false} and empty collections); one item per element, sent as it is
 * produced, for a {@code Stream}, an {@code Iterator}, a {@code Flux} (or any multi-value reactive
 * type), or an {@code Iterable} when {@link #streaming()} is set. A {@code Mono} or
 * {@code CompletableFuture} is awaited and sent as one item. What it throws reaches the caller as
 * an {@link RpcRemoteException}.
 * <p>
 * The server takes requests from queue {@code <service>__<name>}, bound to the service's exchange
 * with the same key, and acknowledges each when it takes it: a method never runs twice for one call.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RpcMethod {

	/**
	 * The name callers use; defaults to the Java method's name.
	 * @return the RPC method name
	 */
	String name() default "";

	/**
	 * Whether an {@code Iterable} result is sent item by item rather than as one JSON array.
	 * {@code Stream}, {@code Iterator} and {@code Flux} results always stream.
	 * @return true to stream an {@code Iterable}
	 */
	boolean streaming() default false;

	/**
	 * How many calls of this method run in parallel in this process; 0 takes the service's
	 * {@code concurrency} setting.
	 * @return the number of consumers (threads) of the method's queue
	 */
	int concurrency() default 0;

}
