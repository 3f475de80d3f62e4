package io.farine.samples.execute;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.awaitility.Awaitility.await;

/** The execute sample as a user runs it, against the local RabbitMQ. */
@SpringBootTest
class ExecuteApplicationTests {

	@Autowired
	Heartbeat heartbeat;

	@Test
	void theBackgroundMethodRunsAgainAndAgain() {
		await().atMost(Duration.ofSeconds(20)).until(() -> this.heartbeat.received() >= 2);
	}

}
