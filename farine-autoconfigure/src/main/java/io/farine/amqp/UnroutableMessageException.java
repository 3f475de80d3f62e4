package io.farine.amqp;

/**
 * Thrown when the broker returned a message because no queue is bound to receive it (it was
 * published as mandatory): the exchange exists, but the message would have been dropped.
 */
public class UnroutableMessageException extends PublishException {

	private final String exchange;

	private final String routingKey;

	/**
	 * Creates an exception.
	 * @param exchange the exchange published to
	 * @param routingKey the routing key used
	 * @param replyText the broker's reason
	 */
	public UnroutableMessageException(String exchange, String routingKey, String replyText) {
		super("Message to exchange '" + exchange + "' with routing key '" + routingKey + "' was returned by the broker ("
				+ replyText + "): no queue is bound to receive it. Start the consumer first or check the routing key.",
				null);
		this.exchange = exchange;
		this.routingKey = routingKey;
	}

	/**
	 * The exchange published to.
	 * @return the exchange name
	 */
	public String getExchange() {
		return this.exchange;
	}

	/**
	 * The routing key used.
	 * @return the routing key
	 */
	public String getRoutingKey() {
		return this.routingKey;
	}

}
