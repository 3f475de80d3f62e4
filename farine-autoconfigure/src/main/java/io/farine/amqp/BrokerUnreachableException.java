package io.farine.amqp;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.core.NestedExceptionUtils;

/**
 * Thrown at start-up when a service's broker accepts no connection (within
 * {@code amqp_wait_at_start}); its failure analyzer tells the three ways out.
 */
public class BrokerUnreachableException extends IllegalStateException {

	private final String service;

	private final String address;

	/**
	 * Creates the exception.
	 * @param service the service that needs the broker
	 * @param address the broker's address, password masked
	 * @param waited how long start-up waited
	 * @param cause why the connection failed
	 */
	public BrokerUnreachableException(String service, String address, Duration waited, @Nullable Throwable cause) {
		super("Service '" + service + "' cannot reach its RabbitMQ broker at " + address
				+ (waited.isZero() ? "" : " (waited " + waited.toSeconds() + " s)") + ": " + reason(cause), cause);
		this.service = service;
		this.address = address;
	}

	/**
	 * The service that needs the broker.
	 * @return the service name
	 */
	public String service() {
		return this.service;
	}

	/**
	 * The broker's address, password masked.
	 * @return the address
	 */
	public String address() {
		return this.address;
	}

	private static String reason(@Nullable Throwable cause) {
		if (cause == null) {
			return "no reason given";
		}
		Throwable specific = NestedExceptionUtils.getMostSpecificCause(cause);
		return (specific.getMessage() != null) ? specific.getMessage() : specific.getClass().getSimpleName();
	}

}
