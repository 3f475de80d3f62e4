package io.farine.amqp;

import com.rabbitmq.client.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.connection.ChannelProxy;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

/**
 * Acknowledges the messages of a listener that settles nothing itself, one multiple ack for every
 * {@code messagesPerAck} messages, sent by the thread that handled them and by no other. The
 * direct container's own grouping ({@code setMessagesPerAck}) also acks from its monitor thread
 * once its ack timeout passed, without the lock its consumer thread holds: both could ack the same
 * delivery tag, the broker then closed the channel ({@code PRECONDITION_FAILED - unknown delivery
 * tag}), an auto-delete reply queue went with its consumer, and the replies of every later call were
 * lost. Here up to {@code messagesPerAck - 1} handled messages stay unacknowledged while the queue
 * is quiet; the prefetch, larger, never waits for them. A message whose listener threw is
 * acknowledged like the others (logged, never delivered again), as the container did.
 */
final class GroupedAcks implements ChannelAwareMessageListener {

	private static final Log logger = LogFactory.getLog(GroupedAcks.class);

	private final MessageListener listener;

	private final int messagesPerAck;

	/** The channel of the messages counted: a consumer restarted on a new channel starts from none. */
	private @Nullable Channel channel;

	private int unacknowledged;

	GroupedAcks(MessageListener listener, int messagesPerAck) {
		this.listener = listener;
		this.messagesPerAck = messagesPerAck;
	}

	@Override
	public void onMessage(Message message, @Nullable Channel channel) throws Exception {
		try {
			this.listener.onMessage(message);
		}
		catch (RuntimeException ex) {
			logger.warn("The listener of queue '" + message.getMessageProperties().getConsumerQueue()
					+ "' failed on a message; it is dropped", ex);
		}
		if (channel == null) {
			return;
		}
		// the physical channel, as Delivery settles on: the container's proxy calls it by reflection
		Channel physical = (channel instanceof ChannelProxy proxy) ? proxy.getTargetChannel() : channel;
		if (physical != this.channel) {
			this.channel = physical;
			this.unacknowledged = 0;
		}
		if (++this.unacknowledged >= this.messagesPerAck) {
			this.unacknowledged = 0;
			physical.basicAck(message.getMessageProperties().getDeliveryTag(), true);
		}
	}

}
