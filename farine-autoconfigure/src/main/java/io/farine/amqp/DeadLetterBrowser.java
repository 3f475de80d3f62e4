package io.farine.amqp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;

import org.springframework.amqp.core.QueueInformation;

/**
 * Shows the first messages of a dead-letter queue and leaves them where they are, in order. It
 * takes them unacknowledged on a channel of its own, then closes that channel: RabbitMQ puts
 * unacknowledged messages back at their places. Rejecting each with requeue instead would put
 * them back one by one, and a consumer attached meanwhile would see them in another order.
 */
final class DeadLetterBrowser {

	private DeadLetterBrowser() {
	}

	static DeadLetterQueues.Peek peek(Broker broker, String queue, int limit, QueueInformation info)
			throws IOException {
		List<DeadLetter> first = new ArrayList<>();
		Channel channel = DeadLetterQueues.channel(broker.connectionFactory(), broker.description());
		try {
			for (int i = 0; i < limit; i++) {
				GetResponse response = channel.basicGet(queue, false);
				if (response == null) {
					break;
				}
				first.add(DeadLetter.of(response));
			}
		}
		finally {
			DeadLetterReplay.close(channel);
		}
		return new DeadLetterQueues.Peek(queue, info.getMessageCount(), info.getConsumerCount(), first);
	}

}
