package io.farine.samples.execute;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

import static org.awaitility.Awaitility.await;

/** The execute sample as a user runs it, against the local RabbitMQ. */
@SpringBootTest
// closed after the class: its consumers would otherwise share the sample's queues with the farine-test context
@DirtiesContext
class ExecuteApplicationTests {

	@Autowired
	Heartbeat heartbeat;

	@Test
	void theBackgroundMethodRunsAgainAndAgain() {
		await().atMost(Duration.ofSeconds(20)).until(() -> this.heartbeat.received() >= 2);
	}

}
