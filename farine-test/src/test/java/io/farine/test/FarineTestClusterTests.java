package io.farine.test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.farine.cluster.FarineEvents;
import io.farine.cluster.FarineQueries;
import io.farine.cluster.QueryAnswer;
import io.farine.cluster.QueryOptions;
import io.farine.test.shop.ShopApplication;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link FarineTestClient#awaitHandled} for the {@code @OnEvent} and {@code @OnQuery} methods of
 * {@code testshop}, the events sent and the queries asked through the application's own
 * {@link FarineEvents} and {@link FarineQueries}, over the local RabbitMQ.
 */
@FarineTest(classes = ShopApplication.class, properties = { "farine.services.testshop.consume_retries=2",
		"farine.services.testshop.consume_retry_delay=10ms", "farine.test.timeout=10s" })
class FarineTestClusterTests {

	@Autowired
	FarineTestClient farine;

	@Autowired
	FarineEvents events;

	@Autowired
	FarineQueries queries;

	@Test
	void successiveWaitsTakeSuccessiveEvents() {
		this.events.send("farine-test-tick", Map.of("n", 1));
		Handling first = this.farine.awaitHandled("testshop.onTick");
		assertThat(first.handled()).as(first.toString()).isTrue();
		assertThat(first.attempts()).isEqualTo(1);
		this.events.send("farine-test-tick", Map.of("n", 2, "fail", true));
		Handling second = this.farine.awaitHandled("testshop.onTick");
		assertThat(second.outcome()).as(second.toString()).isEqualTo(Handling.Outcome.FAILED);
		assertThat(second.reason()).isEqualTo("java.lang.IllegalStateException: tick 2 failed on purpose");
		assertThat(second.deadLetterQueue()).isNull();
	}

	@Test
	void aWaitForAnEventThatDidNotComeListsWhatFinished() {
		this.events.send("farine-test-tick", Map.of("n", 3));
		assertThat(this.farine.awaitHandled("testshop.onTick").handled()).isTrue();
		assertThatThrownBy(() -> this.farine.withTimeout(Duration.ofMillis(300)).awaitHandled("testshop.onTick"))
			.isInstanceOf(AssertionError.class)
			.hasMessageStartingWith("testshop.onTick did not finish with another call within PT0.3S")
			.hasMessageContaining("@OnEvent testshop.onTick handled after 1 attempt(s)");
	}

	@Test
	void theEventsTheApplicationSendsAreCaughtOnTheEventsExchange() {
		try (PublishedMessages sent = this.farine.published("farine.events", "")) {
			this.events.send("farine-test-deploy", Map.of("version", "1.4"));
			// every event on the broker reaches this fanout: wait for one more until the deploy is there
			for (int count = 1; !sent.await(count).stream().anyMatch(FarineTestClusterTests::isTheDeploy); count++) {
				assertThat(count).as("events caught before the deploy: %s", sent.messages()).isLessThan(100);
			}
		}
	}

	private static boolean isTheDeploy(PublishedMessage event) {
		return "farine-test-deploy".equals(String.valueOf(event.headers().get("x-farine-name")))
				&& event.json().path("version").asString().equals("1.4");
	}

	@Test
	void anAnsweredQueryIsAwaited() {
		List<QueryAnswer> answers = this.queries
			.queryStream("farine-test-status", Map.of(),
					QueryOptions.all().withService("testshop").withTimeout(Duration.ofSeconds(2)))
			.toList();
		assertThat(answers).filteredOn((answer) -> answer.kind() == QueryAnswer.Kind.RESPONSE)
			.isNotEmpty()
			.allSatisfy((answer) -> assertThat(answer.payload().path("open").asBoolean()).isTrue());
		Handling handling = this.farine.awaitHandled("testshop.status");
		assertThat(handling.handled()).as(handling.toString()).isTrue();
	}

}
