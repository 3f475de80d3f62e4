package io.farine.samples.execute;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.farine.test.FarineTest;
import io.farine.test.FarineTestClient;
import io.farine.test.Handling;
import io.farine.test.PublishedMessages;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/** The heartbeat driven through the broker with farine-test: its beats caught, a peer's beat consumed. */
@FarineTest
// closed after the class: its consumer would share queue heartbeat with the other tests' context
@DirtiesContext
class HeartbeatFarineTests {

	@Autowired
	FarineTestClient farine;

	@Test
	void theBackgroundMethodPublishesBeats() {
		PublishedMessages beats = this.farine.published("heartbeat", "heartbeat");
		assertThat(beats.await(2)).allSatisfy((beat) -> assertThat(beat.json().path("at").asString()).isNotEmpty());
	}

	@Test
	void aPeersBeatIsConsumed() {
		this.farine.publish("heartbeat", "heartbeat", Map.of("at", "2026-01-01T00:00:00Z"));
		Handling handling = this.farine.awaitHandled("heartbeat.onBeat");
		assertThat(handling.handled()).as(handling.toString()).isTrue();
	}

}
