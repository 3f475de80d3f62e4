package io.farine.test;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.farine.amqp.PublishException;
import io.farine.amqp.PublishOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RecordingPublisherTests {

	private final RecordingPublisher publisher = new RecordingPublisher("billing", "invoice");

	@Test
	void recordsBodiesAndTheRoutingKeyEachWentWith() {
		this.publisher.publish(Map.of("id", 1));
		this.publisher.publishAsync(Map.of("id", 2), PublishOptions.DEFAULTS.withRoutingKey("refund")).join();
		assertThat(this.publisher.bodies()).containsExactly(Map.of("id", 1), Map.of("id", 2));
		assertThat(this.publisher.published()).extracting(RecordingPublisher.Sent::routingKey)
			.containsExactly("invoice", "refund");
		assertThat(this.publisher.exchange()).isEqualTo("billing");
	}

	@Test
	void failsWhenToldToUntilToldToSucceed() {
		PublishException refused = new PublishException("the broker refused it", null);
		this.publisher.failWith(refused);
		assertThatExceptionOfType(PublishException.class).isThrownBy(() -> this.publisher.publish("a"))
			.isSameAs(refused);
		assertThat(this.publisher.publishAsync("b")).isCompletedExceptionally();
		assertThat(this.publisher.bodies()).isEmpty();
		this.publisher.succeed().publish("c");
		assertThat(this.publisher.bodies()).containsExactly("c");
	}

}
