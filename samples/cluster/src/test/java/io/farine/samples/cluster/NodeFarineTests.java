package io.farine.samples.cluster;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.farine.cluster.FarineEvents;
import io.farine.cluster.FarineQueries;
import io.farine.cluster.QueryAnswer;
import io.farine.cluster.QueryOptions;
import io.farine.test.FarineTest;
import io.farine.test.FarineTestClient;
import io.farine.test.Handling;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One node driven with farine-test (farine-dev gives it an etcd of its own when none runs): an
 * event sent is handled by its {@code @OnEvent} method, query {@code status} answered by it.
 */
@FarineTest
// closed after the class: its node would answer ClusterApplicationTests' queries and hear its events
@DirtiesContext
class NodeFarineTests {

	@Autowired
	FarineTestClient farine;

	@Autowired
	FarineEvents events;

	@Autowired
	FarineQueries queries;

	@Autowired
	Node node;

	@Test
	void anEventIsHandled() {
		this.events.send("node-farine-test", Map.of("from", "NodeFarineTests"));
		Handling handling = this.farine.awaitHandled("node.event");
		assertThat(handling.handled()).as(handling.toString()).isTrue();
		assertThat(this.node.events()).contains("node-farine-test");
	}

	@Test
	void queryStatusIsAnsweredByTheNode() {
		QueryAnswer answer = this.queries
			.queryStream("status", Map.of(), QueryOptions.all().withService("node").withTimeout(Duration.ofSeconds(10)))
			.filter((each) -> each.kind() == QueryAnswer.Kind.RESPONSE && each.instanceId().equals(this.node.instance()))
			.findFirst()
			.orElseThrow();
		assertThat(answer.payload().path("instance").asString()).isEqualTo(this.node.instance());
		assertThat(answer.payload().path("uptime_ms").asLong()).isPositive();
		Handling handling = this.farine.awaitHandled("node.status");
		assertThat(handling.handled()).as(handling.toString()).isTrue();
	}

}
