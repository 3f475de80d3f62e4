package io.farine.cluster;

/**
 * Sends cluster events: every live instance of every service with an {@link OnEvent} method for
 * the name receives the payload once. Serf's user events, over a RabbitMQ fanout exchange.
 */
public final class FarineEvents {

	private final ClusterRuntime runtime;

	/**
	 * Creates the sender.
	 * @param runtime carries the events
	 */
	FarineEvents(ClusterRuntime runtime) {
		this.runtime = runtime;
	}

	/**
	 * Sends an event and waits until the broker took it.
	 * @param name the event's name
	 * @param payload the payload, written as JSON (a {@code byte[]} as is)
	 * @throws io.farine.amqp.PublishException if the broker did not take it
	 */
	public void send(String name, Object payload) {
		this.runtime.send(name, payload);
	}

}
