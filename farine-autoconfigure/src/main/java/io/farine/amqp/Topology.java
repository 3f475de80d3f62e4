package io.farine.amqp;

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
 * Declares exchanges, queues and bindings the way the Python original does (DESIGN.md section 5):
 * durable unless configured otherwise, and always without arguments, so a Python service that
 * declares the same names first is not refused, nor the other way round.
 */
final class Topology {

	private Topology() {
	}

	static Exchange exchange(String name, ServiceSettings settings) {
		return switch (settings.type()) {
			case DIRECT -> new DirectExchange(name, settings.durable(), settings.autoDelete());
			case TOPIC -> new TopicExchange(name, settings.durable(), settings.autoDelete());
			case FANOUT, BROADCAST -> new FanoutExchange(name, settings.durable(), settings.autoDelete());
		};
	}

	/**
	 * Declares what a consumer needs and returns the queue it consumes.
	 * @param admin the admin of the consumer's broker
	 * @param exchangeName the exchange to bind to
	 * @param routingKey the binding key
	 * @param queueName the queue, ignored for broadcast
	 * @param settings the consuming service's settings
	 * @return the queue to consume
	 */
	static String declareConsumer(RabbitAdmin admin, String exchangeName, String routingKey, String queueName,
			ServiceSettings settings) {
		Queue queue = (settings.type() == ExchangeType.BROADCAST)
				? new Queue("bcast." + Broker.newId(), false, true, true)
				: new Queue(queueName, settings.durable(), settings.exclusive(), settings.autoDelete());
		if (!settings.autoDeclare()) {
			return queue.getName();
		}
		Exchange exchange = exchange(exchangeName, settings);
		admin.declareExchange(exchange);
		admin.declareQueue(queue);
		admin.declareBinding(new Binding(queue.getName(), Binding.DestinationType.QUEUE, exchange.getName(),
				routingKey, null));
		if (settings.type() != ExchangeType.BROADCAST) {
			admin.declareQueue(new Queue(ConsumeListener.deadLetterQueue(queue.getName()), true, false, false));
		}
		return queue.getName();
	}

}
