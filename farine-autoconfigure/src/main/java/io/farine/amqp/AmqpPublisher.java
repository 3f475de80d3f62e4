package io.farine.amqp;

import java.util.concurrent.CompletableFuture;

import com.rabbitmq.client.AMQP;

import io.farine.config.ServiceSettings;
import io.farine.service.JsonCodec;

/**
 * The {@link Publisher} {@link Publish} injects: JSON-encodes bodies and sends them through its
 * broker's confirmed, mandatory publish path.
 */
final class AmqpPublisher implements Publisher {

	private final Broker broker;

	private final String exchange;

	private final String routingKey;

	private final ServiceSettings settings;

	private final JsonCodec json;

	AmqpPublisher(Broker broker, String exchange, String routingKey, ServiceSettings settings, JsonCodec json) {
		this.broker = broker;
		this.exchange = exchange;
		this.routingKey = routingKey;
		this.settings = settings;
		this.json = json;
	}

	@Override
	public void publish(Object body, PublishOptions options) {
		String key = routingKey(options);
		Broker.await(publishAsync(body, options), this.settings.publishTimeout(),
				"exchange '" + this.exchange + "' with routing key '" + key + "'");
	}

	@Override
	public CompletableFuture<Void> publishAsync(Object body, PublishOptions options) {
		byte[] bytes = (body instanceof byte[] raw) ? raw : this.json.write(body);
		if (bytes.length > this.settings.maxMessageSize().toBytes()) {
			return CompletableFuture.failedFuture(new PublishException("A message of " + bytes.length + " bytes to exchange '"
					+ this.exchange + "' is larger than max_message_size of service '" + this.settings.name() + "' ("
					+ this.settings.maxMessageSize().toBytes() + " bytes); it was not sent", null));
		}
		boolean persistent = (options.persistent() != null) ? options.persistent() : this.settings.deliveryMode() == 2;
		AMQP.BasicProperties.Builder properties = Broker.jsonProperties().deliveryMode(persistent ? 2 : 1);
		if (!options.headers().isEmpty()) {
			properties.headers(options.headers());
		}
		if (options.ttl() != null) {
			properties.expiration(this.settings.expiration(options.ttl()));
		}
		return this.broker.publish(this.exchange, routingKey(options), true, properties.build(), bytes,
				this.settings.retry());
	}

	private String routingKey(PublishOptions options) {
		return (options.routingKey() != null) ? options.routingKey() : this.routingKey;
	}

	@Override
	public String exchange() {
		return this.exchange;
	}

	@Override
	public String routingKey() {
		return this.routingKey;
	}

	@Override
	public String toString() {
		return "Publisher[exchange=" + this.exchange + ", routingKey=" + this.routingKey + "]";
	}

}
