package io.farine.samples.publishconsume;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.farine.test.FarineTest;
import io.farine.test.FarineTestClient;
import io.farine.test.Handling;
import io.farine.test.PublishedMessages;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/** The sample driven through the broker with farine-test: a peer's message consumed, the publisher's caught. */
@FarineTest
// closed after the class: its publisher and consumer would go on using exchange consume
// while the other tests count what reaches it
@DirtiesContext
class ConsumeFarineTests {

	@Autowired
	FarineTestClient farine;

	@Test
	void aPeersMessageIsConsumedAndAcknowledged() {
		this.farine.publish("consume", "routing_key", Map.of("dummy", false));
		Handling handling = this.farine.awaitHandled("consume.consumeDummy");
		assertThat(handling.handled()).as(handling.toString()).isTrue();
	}

	@Test
	void thePublishServiceSendsDummyMessages() {
		PublishedMessages dummies = this.farine.published("consume", "routing_key");
		assertThat(dummies.await(1).get(0).json().path("dummy").asBoolean()).isTrue();
	}

}
