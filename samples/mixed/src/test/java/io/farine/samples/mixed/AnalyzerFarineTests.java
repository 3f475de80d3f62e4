package io.farine.samples.mixed;

import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.farine.test.FarineTest;
import io.farine.test.FarineTestClient;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Service {@code analyzer} alone ({@code farine.start}: no feed to read), called over the broker
 * with farine-test as the forwarder calls it.
 */
@FarineTest(properties = "farine.start=analyzer")
// closed after the class: its analyzer would answer the other tests' calls
@DirtiesContext
class AnalyzerFarineTests {

	@Autowired
	FarineTestClient farine;

	@Test
	void analyzeCountsTheWordsOfANewsItem() {
		JsonNode analysis = this.farine.call("analyzer", "analyze", new News(7, "three short words"));
		assertThat(analysis.path("id").asLong()).isEqualTo(7);
		assertThat(analysis.path("words").asInt()).isEqualTo(3);
	}

}
