package io.farine.amqp;

/**
 * Thrown (or completes a publish future) when the broker did not take a message: it was
 * negatively acknowledged, the connection was lost before the confirm, or no confirm came in time.
 */
public class PublishException extends RuntimeException {

	/**
	 * Creates an exception.
	 * @param message what happened, with exchange and routing key
	 * @param cause the underlying error, or null
	 */
	public PublishException(String message, Throwable cause) {
		super(message, cause);
	}

}
