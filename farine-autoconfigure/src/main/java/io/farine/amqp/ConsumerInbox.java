package io.farine.amqp;

import io.farine.config.ExchangeType;
import io.farine.config.ServiceSettings;
import io.farine.service.ConsumeEndpoint;

/**
 * The inbox of one idempotent consumer, and the name its rows are kept under: its queue, or for
 * a broadcast consumer, whose queue is new at every start ({@code bcast.<id>}),
 * {@code <service>.<method>}, so that a message handled before a restart is known after it. With
 * several instances of a broadcast service on one database, an idempotent handler then runs once
 * per message id among them, as its work is in that database.
 *
 * @param inbox the inbox
 * @param consumer the name of the consumer's rows
 */
record ConsumerInbox(Inbox inbox, String consumer) {

	static ConsumerInbox of(Inbox inbox, ConsumeEndpoint endpoint, String queue, ServiceSettings settings) {
		return new ConsumerInbox(inbox, (settings.type() == ExchangeType.BROADCAST)
				? endpoint.service() + "." + endpoint.handler().method().getName() : queue);
	}

	/**
	 * Records a message as handled by the consumer, in the current transaction.
	 * @param messageId the message's id
	 * @return {@code true} the first time
	 */
	boolean firstDelivery(String messageId) {
		return this.inbox.firstDelivery(this.consumer, messageId);
	}

}
