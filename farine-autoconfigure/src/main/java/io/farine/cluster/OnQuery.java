package io.farine.cluster;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Answers the cluster queries of a name, sent by {@link FarineQueries#query}: the method's first
 * parameter takes the payload, converted like any body; what it returns (a value, or a
 * {@code Mono}) is the answer, JSON, or sent as is when it is a {@code byte[]}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnQuery {

	/**
	 * The query name, or {@code "*"} for every query that no method of its own name answers (take a
	 * {@link ClusterEvent} parameter to learn the name).
	 * @return the name
	 */
	String value();

}
