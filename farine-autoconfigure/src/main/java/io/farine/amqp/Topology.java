package io.farine.amqp;

import java.util.Map;

import io.farine.config.ExchangeType;
import io.farine.config.ServiceSettings;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * Declares exchanges, queues and bindings the way the Python original does (docs/wire-protocol.md):
 * durable unless configured otherwise, and without arguments, so a Python service that declares
 * the same names first is not refused, nor the other way round. The one exception is opt-in:
 * {@code queue_type = quorum} adds {@code x-queue-type}, which a Python peer must declare too.
 * Consumers and RPC servers both declare through it.
 */
final class Topology {

	/** The queue argument of a quorum queue (a queue replicated over the nodes of a cluster). */
	static final Map<String, Object> QUORUM = Map.of("x-queue-type", "quorum");

	private Topology() {
	}

	/**
	 * The exchange of a service, of the service's type.
	 * @param name the exchange name
	 * @param settings the service's settings
	 * @return the exchange to declare
	 */
	static Exchange exchange(String name, ServiceSettings settings) {
		return switch (settings.type()) {
			case DIRECT -> new DirectExchange(name, settings.durable(), settings.autoDelete());
			case TOPIC -> new TopicExchange(name, settings.durable(), settings.autoDelete());
			case FANOUT, BROADCAST -> new FanoutExchange(name, settings.durable(), settings.autoDelete());
		};
	}

	/**
	 * Declares an exchange, a queue and their binding, unless the service does not declare
	 * ({@code auto_declare = false}), and returns the queue to consume.
	 * @param admin the admin of the service's broker
	 * @param exchangeName the exchange to bind to
	 * @param routingKey the binding key
	 * @param queueName the queue, ignored for broadcast (each instance gets its own exclusive queue)
	 * @param settings the service's settings
	 * @return the queue to consume
	 */
	static String declare(RabbitAdmin admin, String exchangeName, String routingKey, String queueName,
			ServiceSettings settings) {
		Queue queue = (settings.type() == ExchangeType.BROADCAST)
				? new Queue("bcast." + Wire.newId(), false, true, true)
				: new Queue(queueName, settings.durable(), settings.exclusive(), settings.autoDelete(),
						settings.quorumQueues() ? QUORUM : null);
		if (!settings.autoDeclare()) {
			return queue.getName();
		}
		Exchange exchange = exchange(exchangeName, settings);
		admin.declareExchange(exchange);
		admin.declareQueue(queue);
		admin.declareBinding(new Binding(queue.getName(), Binding.DestinationType.QUEUE, exchange.getName(),
				routingKey, null));
		return queue.getName();
	}

}
