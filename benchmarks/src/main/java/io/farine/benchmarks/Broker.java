package io.farine.benchmarks;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/** The local RabbitMQ through the raw client: declaring and deleting the benchmark's queues. */
final class Broker {

	private Broker() {
	}

	static ConnectionFactory factory() {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost("127.0.0.1");
		factory.setPort(5672);
		return factory;
	}

	static void declareDurable(String queue) throws IOException, TimeoutException {
		try (Connection connection = factory().newConnection("bench-admin"); Channel channel = connection.createChannel()) {
			channel.queueDeclare(queue, true, false, false, null);
		}
	}

	static void delete(String... queues) {
		try (Connection connection = factory().newConnection("bench-admin")) {
			for (String queue : queues) {
				try (Channel channel = connection.createChannel()) {
					channel.queueDelete(queue);
				}
				catch (IOException | TimeoutException ex) {
					// gone already
				}
			}
		}
		catch (IOException | TimeoutException ex) {
			// nothing to clean up without a broker
		}
	}

	static void deleteExchange(String exchange) {
		try (Connection connection = factory().newConnection("bench-admin"); Channel channel = connection.createChannel()) {
			channel.exchangeDelete(exchange);
		}
		catch (IOException | TimeoutException ex) {
			// gone already
		}
	}

}
