package io.farine.service;

import org.jspecify.annotations.Nullable;

/**
 * Makes the arguments of one handler call from what arrived: a delivery, an RPC request, an SSE
 * event. Each endpoint chooses its resolver once, from its method's signature; a call only runs it.
 * <p>
 * Not part of farine's API: public because each capability's argument resolvers implement it.
 *
 * @param <T> what arrives
 */
@FunctionalInterface
public interface ArgumentResolver<T> {

	/** The resolver of a method that takes no arguments. */
	ArgumentResolver<@Nullable Object> NONE = (input) -> new Object[0];

	/**
	 * Makes the arguments.
	 * @param input what arrived
	 * @return one argument per parameter
	 * @throws ArgumentConversionException if the input does not fit the method
	 */
	@Nullable Object[] resolve(T input);

}
