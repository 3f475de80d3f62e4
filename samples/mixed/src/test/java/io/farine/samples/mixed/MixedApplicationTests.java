package io.farine.samples.mixed;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The mixed sample as a user runs it, against the local RabbitMQ: events go through RPC and back. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT, properties = "server.port=8093")
@ExtendWith(OutputCaptureExtension.class)
class MixedApplicationTests {

	@Autowired
	Forwarder forwarder;

	@Test
	void eachEventIsForwardedOverRpcAndAnswered(CapturedOutput output) {
		await().atMost(Duration.ofSeconds(30)).until(() -> this.forwarder.answers().size() >= 3);
		assertThat(this.forwarder.answers().subList(0, 3)).extracting(Analysis::id).containsExactly(1L, 2L, 3L);
		assertThat(this.forwarder.answers().get(0).words()).isEqualTo(6);
		assertThat(output).contains("forwarder: event 1 received from the feed", "analyzer: analyzing event 1",
				"forwarder: analyzer answered Analysis[id=1, words=6]");
	}

}
