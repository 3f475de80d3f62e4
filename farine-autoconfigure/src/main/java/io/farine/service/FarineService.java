package io.farine.service;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the farine service a bean belongs to. Without it, the service name is the bean's
 * lower-cased simple class name, as in the Python original ({@code Orders} is {@code orders}).
 * The name selects the {@code [section]} of farine.ini and is the default exchange and routing key.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface FarineService {

	/**
	 * The service name.
	 * @return the name
	 */
	String value();

}
