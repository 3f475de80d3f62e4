package io.farine.samples.quickstart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.farine.test.FarineTest;
import io.farine.test.FarineTestClient;
import io.farine.test.Handling;
import io.farine.test.PublishedMessages;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link GreetingsFarineTests} on a machine without RabbitMQ, played by pointing the quickstart at
 * a loopback port where nothing listens: farine-dev's embedded broker carries the test client's
 * messages and calls as it carries the application's.
 */
@FarineTest(properties = "farine.test.timeout=20s")
class GreetingsOnTheStandInFarineTests {

	private static final String AMQP_URI = "farine.defaults.amqp_uri";

	static {
		// farine-dev reads the environment before any test property source is added: a system
		// property is what it sees; cleared after the class
		System.setProperty(AMQP_URI, "amqp://guest:guest@127.0.0.1:" + freePort() + "//");
	}

	@Autowired
	FarineTestClient farine;

	@AfterAll
	static void clearTheBrokerAddress() {
		System.clearProperty(AMQP_URI);
	}

	@Test
	void aGreetingIsConsumedCountedAndCaughtOnTheStandIn() {
		PublishedMessages greetings = this.farine.published("greetings", "hello");
		this.farine.publish("greetings", "hello", new Greeting("stand-in", 1));
		Handling handling = this.farine.awaitHandled("greetings.onGreeting");
		assertThat(handling.handled()).as(handling.toString()).isTrue();
		assertThat(this.farine.call("greetings", "received").asLong()).isPositive();
		assertThat(greetings.await(1)).isNotEmpty();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
