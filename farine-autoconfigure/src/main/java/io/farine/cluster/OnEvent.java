package io.farine.cluster;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Receives the cluster events of a name, sent by {@link FarineEvents#send} from any process: the
 * method's first parameter takes the payload, converted like any body; an optional
 * {@link ClusterEvent} parameter takes the event's name and sender. Every live instance receives
 * each event once; an instance that starts later does not see earlier events (Serf's semantics).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnEvent {

	/**
	 * The event name, or {@code "*"} for every event.
	 * @return the name
	 */
	String value();

}
