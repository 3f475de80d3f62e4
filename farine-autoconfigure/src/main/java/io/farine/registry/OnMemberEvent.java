package io.farine.registry;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Receives the registry's member events (Serf's {@code member-join}, {@code member-leave},
 * {@code member-failed}, {@code member-update}, {@code member-reap}): the method takes one
 * {@link MemberEvent} parameter. Events are told in the order the registry saw them, one at a
 * time, on a thread of their own; a method that throws is logged and the next event still comes.
 * Needs the etcd registry (docs/registry.md).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnMemberEvent {

	/**
	 * The service whose members to hear of; empty (the default) for every service.
	 * @return the service name, {@code ${...}} placeholders resolved
	 */
	String service() default "";

}
