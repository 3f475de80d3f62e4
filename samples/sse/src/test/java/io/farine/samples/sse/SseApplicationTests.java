package io.farine.samples.sse;

import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The sse sample as a user runs it: the listener reads past the end of the first stream, in order. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT, properties = "server.port=8091")
class SseApplicationTests {

	@Autowired
	Prices prices;

	@Test
	void everyPriceIsHandledOnceAndInOrderAcrossReconnections() {
		await().atMost(Duration.ofSeconds(30)).until(() -> this.prices.ids().size() >= 12);
		List<Long> ids = this.prices.ids();
		assertThat(ids.subList(0, 12)).isEqualTo(LongStream.rangeClosed(1, 12).boxed().toList());
	}

}
