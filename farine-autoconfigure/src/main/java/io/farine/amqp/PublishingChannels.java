package io.farine.amqp;

import java.io.IOException;
import java.time.Duration;

import com.rabbitmq.client.Channel;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ChannelProxy;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

/**
 * Opens the channels a broker's senders publish on, on its publishing connection: taken from the
 * connection factory (so its channel limit and listeners apply) but used unwrapped, since the
 * cache's proxy would replace a closed channel by a new one without the confirm mode and
 * listeners the senders set up. Retries with backoff while the connection cannot be opened, when
 * asked; opens nothing once the broker is closed.
 */
final class PublishingChannels implements Broker.ChannelSource {

	private final CachingConnectionFactory connections;

	private final String description;

	private final RetryTemplate connectRetry = new RetryTemplate(RetryPolicy.builder()
		.maxRetries(5)
		.delay(Duration.ofMillis(200))
		.multiplier(2)
		.maxDelay(Duration.ofSeconds(2))
		.includes(AmqpException.class, IOException.class)
		.build());

	/** Set first when the broker closes: no connection is opened again after it. */
	private volatile boolean closed;

	PublishingChannels(CachingConnectionFactory connections, String description) {
		this.connections = connections;
		this.description = description;
	}

	@Override
	public Channel open(boolean retry) throws Exception {
		if (!retry) {
			return open();
		}
		try {
			return this.connectRetry.execute(this::open);
		}
		catch (RetryException ex) {
			throw (ex.getCause() instanceof Exception cause) ? cause : ex;
		}
	}

	private Channel open() throws IOException {
		if (this.closed) {
			// not an IOException: connection retries stop at once
			throw new IllegalStateException("The connection to " + this.description
					+ " is closed: the application is shutting down");
		}
		Channel channel = this.connections.getPublisherConnectionFactory().createConnection().createChannel(false);
		if (channel == null) {
			throw new IOException("No channel available on the connection to " + this.description);
		}
		return (channel instanceof ChannelProxy proxy) ? proxy.getTargetChannel() : channel;
	}

	void close() {
		this.closed = true;
	}

}
