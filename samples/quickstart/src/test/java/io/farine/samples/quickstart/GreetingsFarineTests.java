package io.farine.samples.quickstart;

import org.junit.jupiter.api.Test;

import io.farine.test.FarineTest;
import io.farine.test.FarineTestClient;
import io.farine.test.Handling;
import io.farine.test.PublishedMessages;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** The quickstart driven through the broker with farine-test: what a peer sends and receives. */
@FarineTest
class GreetingsFarineTests {

	@Autowired
	FarineTestClient farine;

	@Test
	void aGreetingIsConsumedAndCountedOverRpc() {
		this.farine.publish("greetings", "hello", new Greeting("test", 1));
		Handling handling = this.farine.awaitHandled("greetings.onGreeting");
		assertThat(handling.handled()).as(handling.toString()).isTrue();
		assertThat(this.farine.call("greetings", "received").asLong()).isPositive();
	}

	@Test
	void theGreeterPublishesGreetingsToWorld() {
		PublishedMessages greetings = this.farine.published("greetings", "hello");
		assertThat(greetings.await(1).get(0).as(Greeting.class).to()).isEqualTo("world");
	}

}
