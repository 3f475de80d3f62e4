package io.farine.amqp;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects a {@link Publisher} bound to an exchange and routing key into a field of a service
 * bean: {@code @Publish(exchange = "billing", routingKey = "invoice") Publisher invoices;}.
 * Both default to the service name, as in the Python original. The exchange is declared with the
 * service's settings ({@code type}, {@code durable}, ...) when the application starts.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Publish {

	/**
	 * The exchange to publish to; the service name when empty. {@code ${...}} placeholders are resolved.
	 * @return the exchange name
	 */
	String exchange() default "";

	/**
	 * The routing key; the service name when empty. {@code ${...}} placeholders are resolved.
	 * @return the routing key
	 */
	String routingKey() default "";

	/**
	 * Whether a message no queue receives is an error ({@link UnroutableMessageException}). With
	 * {@code false} it is confirmed and counted ({@code farine.publish.unroutable}): events that
	 * no subscriber may be deployed for yet. {@code publish_mandatory = false} in the service's
	 * section does the same for all its publishers.
	 * @return whether publishes are mandatory
	 */
	boolean mandatory() default true;

}
