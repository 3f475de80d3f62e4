package io.farine.rpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Calls the RPC methods of another service.
 * <p>
 * On an interface, it declares a typed client, like a Spring {@code @HttpExchange} interface:
 * farine registers a bean implementing it (interfaces in the application's packages are found
 * by themselves) whose methods call the method of the same name (or {@link RpcCall#name()}) with
 * their arguments in order. A method may return {@code T} (it blocks), {@code void},
 * {@code CompletableFuture<T>}, {@code Mono<T>}, {@code Stream<T>} or {@code Flux<T>}; anything
 * else fails at start-up. On a field of type {@link RpcOperations}, it injects a client that calls
 * methods by name: the Python original's {@code @farine.rpc.client('service')}.
 * <pre class="code">
 * &#64;RpcClient("calculator")
 * interface CalculatorClient {
 *     int add(int a, int b);
 *     Stream&lt;Integer&gt; count(int n);
 * }
 * </pre>
 */
@Target({ ElementType.TYPE, ElementType.FIELD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RpcClient {

	/**
	 * The service to call; {@code ${...}} placeholders are resolved.
	 * @return the service name
	 */
	String value();

	/**
	 * How long a call waits for its reply, and a streaming call for each next item, such as
	 * {@code "2s"} or {@code "500ms"} (a bare number is seconds); empty takes the called service's
	 * {@code rpc_timeout}.
	 * @return the timeout
	 */
	String timeout() default "";

}
