package io.farine.service;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a message or call argument cannot be turned into the type a handler declares:
 * the input is at fault, not the handler, so it is never retried.
 */
public class ArgumentConversionException extends RuntimeException {

	/**
	 * Creates an exception.
	 * @param message what could not be converted, to what, and why
	 * @param cause the underlying error, if any
	 */
	public ArgumentConversionException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
