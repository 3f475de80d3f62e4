package io.farine.amqp;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a service bean as the consumer of a queue bound to an exchange. The body is
 * converted from JSON to the method's parameter ({@code Map}, a record or POJO, {@code String}, or
 * {@code byte[]} for the raw body); a {@link FarineMessage} parameter gives headers, properties
 * and explicit acknowledgement.
 * <p>
 * Returning normally acknowledges the message. Throwing retries the handler with backoff
 * ({@code consume_retries}, {@code consume_retry_delay}, ...), then republishes the message to the
 * dead-letter queue {@code <queue>.dlq} with the error in its headers. A body that is not valid
 * JSON or does not fit the parameter goes to the dead-letter queue at once.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Consume {

	/**
	 * The exchange to bind to; the service name when empty. {@code ${...}} placeholders are resolved.
	 * @return the exchange name
	 */
	String exchange() default "";

	/**
	 * The binding key (a pattern for topic exchanges); the service name when empty.
	 * @return the routing key
	 */
	String routingKey() default "";

	/**
	 * The queue to consume; the routing key when empty. Broadcast services ignore it and get an
	 * exclusive {@code bcast.<id>} queue per instance.
	 * @return the queue name
	 */
	String queue() default "";

	/**
	 * Whether a message is handled once however often it is delivered: its {@code message_id} is
	 * recorded in the inbox table ({@code inbox_table}, default {@code farine_inbox}) in the
	 * handler's transaction, and a delivery whose id is there already is acknowledged without
	 * calling the handler. Needs a database and the handler's transaction; a message without a
	 * {@code message_id} (kombu sends none) is handled as usual.
	 * @return {@code true} to handle each message id once
	 */
	boolean idempotent() default false;

}
