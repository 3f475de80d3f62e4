package io.farine.amqp;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Return;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.support.MessagePropertiesConverter;

/**
 * The unconfirmed send path of one broker, for RPC requests and replies: a lost one shows up as
 * the caller's timeout, so confirms would only cost every call. One channel on the publishing
 * connection; mandatory messages it cannot route go to the return handlers.
 */
final class UnconfirmedSending {

	private static final Log logger = LogFactory.getLog(UnconfirmedSending.class);

	private final Broker.ChannelSource channels;

	private final String where;

	private final ReentrantLock sendLock = new ReentrantLock();

	private final List<Consumer<ReturnedMessage>> returnHandlers = new CopyOnWriteArrayList<>();

	private final MessagePropertiesConverter converter = ClientCharsetConverter.INSTANCE;

	private @Nullable Channel channel;

	UnconfirmedSending(Broker.ChannelSource channels, String where) {
		this.channels = channels;
		this.where = where;
	}

	void send(String exchange, String routingKey, boolean mandatory, AMQP.BasicProperties properties, byte[] body,
			boolean retryConnect) {
		this.sendLock.lock();
		try {
			Channel target = this.channel;
			if (target == null || !target.isOpen()) {
				target = this.channels.open(retryConnect);
				target.addReturnListener(this::returned);
				this.channel = target;
			}
			target.basicPublish(exchange, routingKey, mandatory, properties, body);
		}
		catch (Exception ex) {
			throw new PublishException("Could not send to exchange '" + exchange + "' with routing key '" + routingKey
					+ "' on " + this.where + ": " + ex.getMessage(), ex);
		}
		finally {
			this.sendLock.unlock();
		}
	}

	private void returned(Return returned) {
		MessageProperties properties = this.converter.toMessageProperties(returned.getProperties(), null,
				ClientCharsetConverter.CLIENT_CHARSET);
		ReturnedMessage message = new ReturnedMessage(new Message(returned.getBody(), properties),
				returned.getReplyCode(), returned.getReplyText(), returned.getExchange(), returned.getRoutingKey());
		this.returnHandlers.forEach((handler) -> handler.accept(message));
	}

	void onReturn(Consumer<ReturnedMessage> handler) {
		this.returnHandlers.add(handler);
	}

	void removeReturnHandler(Consumer<ReturnedMessage> handler) {
		this.returnHandlers.remove(handler);
	}

	void close() {
		this.sendLock.lock();
		try {
			Channel current = this.channel;
			if (current != null && current.isOpen()) {
				try {
					current.close();
				}
				catch (Exception ex) {
					logger.debug("Error closing the send channel", ex);
				}
			}
			this.channel = null;
		}
		finally {
			this.sendLock.unlock();
		}
	}

}
