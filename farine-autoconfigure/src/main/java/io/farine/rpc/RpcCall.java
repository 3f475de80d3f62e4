package io.farine.rpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Tunes one method of an {@link RpcClient} interface: the remote method it calls, when that is
 * not its own name, and its timeout.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RpcCall {

	/**
	 * The remote method's name; defaults to the Java method's name.
	 * @return the RPC method name
	 */
	String name() default "";

	/**
	 * How long the call waits for its reply (a stream: for each next item), such as {@code "30s"};
	 * empty takes the client's timeout.
	 * @return the timeout
	 */
	String timeout() default "";

}
