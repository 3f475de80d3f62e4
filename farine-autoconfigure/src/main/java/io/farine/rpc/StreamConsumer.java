package io.farine.rpc;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.farine.amqp.Wire;

import org.springframework.amqp.rabbit.connection.ChannelProxy;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.RabbitUtils;

/**
 * The reply queue and consumer of one streaming call, so that a reader slower than its server
 * holds back only its own frames. The queue is exclusive and auto-delete, bound to the service's
 * exchange with its name as key, and consumed on a channel of its own with a prefetch: a frame is
 * acknowledged (a quarter of the prefetch at a time) once the reader's buffer took it, and the
 * broker keeps the rest. When the call ends the consumer is cancelled, the queue is gone, further
 * frames are unroutable, and the server, which sends them mandatory, stops producing. A plain
 * channel, not a listener container: a lost connection fails the call, nothing is to recover.
 */
final class StreamConsumer {

	private static final Log logger = LogFactory.getLog(StreamConsumer.class);

	private final String queue;

	private final Channel channel;

	private StreamConsumer(String queue, Channel channel) {
		this.queue = queue;
		this.channel = channel;
	}

	/**
	 * Declares the queue, binds it and starts consuming it.
	 * @param connections the broker's connection factory
	 * @param exchange the exchange of the service called, where its replies go
	 * @param prefetch how many frames may be unacknowledged
	 * @param replies where frames go; waits while the reader's buffer is full
	 * @return the consumer
	 * @throws org.springframework.amqp.AmqpException if the broker refused any step
	 */
	static StreamConsumer open(ConnectionFactory connections, String exchange, int prefetch, ReplyQueue replies) {
		String queue = Wire.newId();
		Channel channel = connections.createConnection().createChannel(false);
		// the proxy would open a new channel behind a closed one: an ack after the stop must fail instead
		Channel target = (channel instanceof ChannelProxy proxy) ? proxy.getTargetChannel() : channel;
		try {
			target.queueDeclare(queue, false, true, true, null);
			target.queueBind(queue, exchange, queue);
			target.basicQos(prefetch);
			int batch = Math.max(1, prefetch / 4);
			target.basicConsume(queue, false, new DefaultConsumer(target) {

				private int unacknowledged;

				@Override
				public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
						byte[] body) throws IOException {
					Object type = (properties.getHeaders() != null)
							? properties.getHeaders().get(RpcFrames.EXCEPTION_TYPE_HEADER) : null;
					replies.deliver(properties.getCorrelationId(), body, type);
					if (++this.unacknowledged >= batch && getChannel().isOpen()) {
						this.unacknowledged = 0;
						try {
							getChannel().basicAck(envelope.getDeliveryTag(), true);
						}
						catch (AlreadyClosedException ex) {
							// the call ended meanwhile; the queue goes with the channel
						}
					}
				}

			});
		}
		catch (IOException | RuntimeException ex) {
			close(channel);
			throw org.springframework.amqp.rabbit.support.RabbitExceptionTranslator.convertRabbitAccessException(ex);
		}
		return new StreamConsumer(queue, channel);
	}

	String queue() {
		return this.queue;
	}

	/** Stops consuming: the queue goes with its consumer. */
	void stop() {
		close(this.channel);
	}

	private static void close(Channel channel) {
		// a physical close: the channel carries a consumer and must not go back to the cache
		RabbitUtils.setPhysicalCloseRequired(channel, true);
		try {
			channel.close();
		}
		catch (IOException | TimeoutException | RuntimeException ex) {
			logger.debug("Closing the channel of a stream's reply queue failed (the connection may be gone)", ex);
		}
	}

}
