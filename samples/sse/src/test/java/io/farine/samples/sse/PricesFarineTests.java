package io.farine.samples.sse;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.farine.test.FarineTest;
import io.farine.test.FarineTestClient;
import io.farine.test.Handling;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The listener driven by its own feed with farine-test: each price it handles is awaited, past
 * the end of the first stream (10 events) and the reconnection.
 */
// a port of its own: SseApplicationTests serves on 8091, a running sample on 8089
@FarineTest(webEnvironment = WebEnvironment.DEFINED_PORT, properties = "server.port=8092")
// closed after the class: its server would keep the port, and its listener reading, for the other tests
@DirtiesContext
class PricesFarineTests {

	@Autowired
	FarineTestClient farine;

	@Autowired
	Prices prices;

	@Test
	void everyPriceIsHandledAcrossTheReconnection() {
		List<Handling> handlings = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			handlings.add(this.farine.awaitHandled("prices.onPrice"));
		}
		assertThat(handlings).allSatisfy((handling) -> assertThat(handling.handled()).as(handling.toString()).isTrue());
		assertThat(this.prices.ids()).hasSizeGreaterThanOrEqualTo(12);
	}

}
