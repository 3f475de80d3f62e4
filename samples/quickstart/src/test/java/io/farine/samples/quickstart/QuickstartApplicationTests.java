package io.farine.samples.quickstart;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.awaitility.Awaitility.await;

/** The quickstart as a user runs it, against the local RabbitMQ. */
@SpringBootTest
class QuickstartApplicationTests {

	@Autowired
	Greetings greetings;

	@Autowired
	GreetingsClient greetingsClient;

	@Test
	void greetingsPublishedByTheGreeterAreConsumed() {
		await().atMost(Duration.ofSeconds(20)).until(() -> this.greetings.received() >= 2);
	}

	@Test
	void theConsumerAnswersHowManyItReceivedOverRpc() {
		await().atMost(Duration.ofSeconds(20)).until(() -> this.greetingsClient.received() >= 1);
	}

}
