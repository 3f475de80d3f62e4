package io.farine.execute;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a service method, which takes no parameters, in the background once the application is
 * ready: the Python original's {@code @farine.execute.method()}. It runs on its own thread (a
 * virtual thread on Java 21 and later, else a platform thread named after the service and method).
 * <p>
 * With {@link #restart()} (the default, as in the original) the method runs again when it returns;
 * when it throws, it runs again after a delay that grows with consecutive failures
 * ({@code execute_restart_delay}, doubling up to {@code execute_restart_max_delay}) and resets
 * after a run that returned. On shutdown the thread is interrupted and awaited up to
 * {@code execute_shutdown_grace}; a method still running then is named in the log.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Execute {

	/**
	 * Whether the method runs again when it ends; false runs it once.
	 * @return true to restart
	 */
	boolean restart() default true;

}
