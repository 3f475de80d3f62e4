package io.farine.rpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of an {@link RpcClient} interface as a one-way call (snakemq's
 * {@code as_signal}): the request is sent and the method returns without waiting for the remote
 * method, which runs and sends nothing back. The method returns {@code void} (returns once the
 * request is handed to the connection; a request the broker refuses is logged) or
 * {@code CompletableFuture<Void>} (completed when the broker has the request, failed with
 * {@link RpcUnroutableException} when no server's queue takes it). Nothing reports whether, or
 * how, the remote method ran. {@link RpcOperations#signal} is the same by method name.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OneWay {

}
