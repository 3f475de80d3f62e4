package io.farine.amqp;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.amqp.rabbit.connection.Connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code amqp_uri} forms of a Python service's farine.ini, each connecting to the local
 * RabbitMQ: the default virtual host however it is written, and a named one reaching the broker
 * under the name kombu would use (the broker refuses it by that name: it does not exist).
 */
class AmqpUriIntegrationTests {

	private static final ExecutorService executor = Executors.newCachedThreadPool();

	@AfterAll
	static void stop() {
		executor.shutdownNow();
	}

	@ParameterizedTest
	@ValueSource(strings = { "amqp://guest:guest@127.0.0.1:5672//", "amqp://guest:guest@127.0.0.1:5672/%2F",
			"amqp://guest:guest@127.0.0.1:5672/", "amqp://guest:guest@127.0.0.1:5672", "amqp://127.0.0.1//",
			"pyamqp://guest:guest@127.0.0.1:5672//", "librabbitmq://guest:guest@127.0.0.1//" })
	void everyFormOfTheDefaultVirtualHostConnects(String uri) {
		Broker broker = new Broker(uri, executor, "uri-test");
		try (Connection connection = broker.connectionFactory().createConnection()) {
			assertThat(connection.isOpen()).isTrue();
		}
		finally {
			broker.close();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "amqp://guest:guest@127.0.0.1:5672/%2Fno-such-vhost|/no-such-vhost",
			"amqp://guest:guest@127.0.0.1:5672/no-such-vhost|no-such-vhost" })
	void aNamedVirtualHostIsAskedForByItsDecodedName(String uriAndVhost) {
		String[] parts = uriAndVhost.split("\\|");
		Broker broker = new Broker(parts[0], executor, "uri-test");
		try {
			assertThatThrownBy(() -> broker.connectionFactory().createConnection()).hasStackTraceContaining(
					"vhost " + parts[1] + " not found");
		}
		finally {
			broker.close();
		}
	}

}
