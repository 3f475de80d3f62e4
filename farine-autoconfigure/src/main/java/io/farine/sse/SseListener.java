package io.farine.sse;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Feeds a service method with the events of an HTTP Server-Sent-Events stream: the Python
 * original's {@code @farine.stream.http(...)}. The method takes one parameter: each event's
 * {@code data} converted to its type (a record, {@code Map} or {@code JsonNode} from JSON, or the
 * text as a {@code String}), or a {@code ServerSentEvent<T>} for the event's id, name and retry
 * as well. Events are handled one at a time, in order; events with empty data are skipped.
 * <p>
 * The stream is reconnected for ever when it ends or fails, with {@code Last-Event-ID} set to the
 * last event handled, after the server's {@code retry:} delay or {@code sse_reconnect_delay},
 * whichever is longer, growing exponentially with jitter while attempts fail (up to
 * {@code sse_reconnect_max_delay}). A method that throws
 * is logged and counted and the stream goes on, unless {@link #stopOnError()}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface SseListener {

	/**
	 * The stream's URL, {@code ${...}} placeholders resolved; empty takes the service's
	 * {@code endpoint} key.
	 * @return the URL
	 */
	String endpoint() default "";

	/**
	 * Only events of this name ({@code event:} field); empty takes every event.
	 * @return the event name
	 */
	String event() default "";

	/**
	 * Extra request headers as {@code "Name: value"}, placeholders resolved.
	 * {@code Accept: text/event-stream} is always sent.
	 * @return the headers
	 */
	String[] headers() default {};

	/**
	 * Whether a method that throws stops the listener instead of going on with the next event.
	 * @return true to stop on the first failure
	 */
	boolean stopOnError() default false;

}
