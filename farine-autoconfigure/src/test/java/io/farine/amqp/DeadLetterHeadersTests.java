package io.farine.amqp;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The headers of a dead-letter copy always fit in a frame, and a header value AMQP cannot carry is
 * refused where the user sets it, naming the header.
 */
class DeadLetterHeadersTests {

	private static final int FRAME_MAX = 131_072;

	@Test
	void headersThatWouldNotFitInAFrameAreDroppedLargestFirstAndNamedInTheErrorText() {
		Map<String, Object> original = new LinkedHashMap<>();
		original.put("x-tenant", "acme");
		original.put("x-big", "b".repeat(130_700));
		Map<String, Object> copy = DeadLetterHeaders.of(original, farine("boom"), FRAME_MAX);
		assertThat(copy).containsEntry("x-tenant", "acme").doesNotContainKey("x-big");
		assertThat(copy.get(DeadLetterQueue.EXCEPTION_MESSAGE).toString())
			.startsWith("boom [headers dropped from this copy so that it fits in a frame of 131072 bytes: x-big (")
			.contains(" bytes)");
		assertThatNoException().isThrownBy(() -> AmqpHeaders.checkFit(copy, FRAME_MAX));
	}

	@Test
	void headersThatFitAreKeptAndTheErrorTextIsBounded() {
		Map<String, Object> original = Map.of("x-tenant", "acme", "x-medium", "m".repeat(60_000));
		Map<String, Object> copy = DeadLetterHeaders.of(original, farine("e".repeat(1_000_000)), FRAME_MAX);
		assertThat(copy).containsKeys("x-tenant", "x-medium", DeadLetterQueue.ORIGINAL_QUEUE);
		assertThat(copy.get(DeadLetterQueue.EXCEPTION_MESSAGE).toString()).hasSizeLessThan(1100);
		assertThatNoException().isThrownBy(() -> AmqpHeaders.checkFit(copy, FRAME_MAX));
	}

	@Test
	void aSenderCannotReplaceFarinesHeadersWithItsOwn() {
		Map<String, Object> copy = DeadLetterHeaders.of(Map.of(DeadLetterQueue.ORIGINAL_QUEUE, "forged"), farine("boom"),
				FRAME_MAX);
		assertThat(copy).containsEntry(DeadLetterQueue.ORIGINAL_QUEUE, "orders");
	}

	@Test
	void manyLargeHeadersAllFitOnceTheLargestAreDropped() {
		Map<String, Object> original = new LinkedHashMap<>();
		for (int i = 0; i < 400; i++) {
			original.put("x-header-" + "n".repeat(200) + i, "v".repeat(1_000));
		}
		Map<String, Object> copy = DeadLetterHeaders.of(original, farine("boom"), FRAME_MAX);
		assertThatNoException().isThrownBy(() -> AmqpHeaders.checkFit(copy, FRAME_MAX));
		assertThat(copy.size()).isGreaterThan(50);
	}

	@Test
	void headersAmqpCanCarryAreAccepted() {
		assertThatNoException().isThrownBy(() -> PublishOptions.DEFAULTS.withHeader("s", "text")
			.withHeader("i", 1)
			.withHeader("l", 2L)
			.withHeader("d", 1.5)
			.withHeader("b", true)
			.withHeader("n", new BigDecimal("1.25"))
			.withHeader("t", new Date())
			.withHeader("bytes", new byte[] { 1 })
			.withHeader("list", List.of(1, "a", Map.of("k", "v")))
			.withHeader("table", Map.of("nested", Map.of("k", 1))));
	}

	@Test
	void aHeaderValueAmqpCannotCarryFailsAtWithHeaderNamingTheHeader() {
		assertThatIllegalArgumentException().isThrownBy(() -> PublishOptions.DEFAULTS.withHeader("x-day", LocalDate.now()))
			.withMessageContaining("Header 'x-day' has a value of type java.time.LocalDate, which AMQP cannot carry");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PublishOptions.DEFAULTS.withHeader("x-days", List.of(LocalDate.now())))
			.withMessageContaining("Header 'x-days' has a value of type java.time.LocalDate (in a list)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PublishOptions(null, Map.of("x-table", Map.of(1, "v")), null, null))
			.withMessageContaining("Header 'x-table' has a value of type Map with a key of java.lang.Integer");
	}

	@Test
	void headersLargerThanAFrameLeavesRoomForAreRefusedBeforeTheyAreWritten() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> AmqpHeaders.checkFit(Map.of("x-big", "b".repeat(130_000)), FRAME_MAX))
			.withMessageContaining("The message's headers take 130")
			.withMessageContaining("a frame of 131072 bytes (the broker's frame_max) leaves room for 126976");
	}

	private static Map<String, Object> farine(String error) {
		Map<String, Object> added = new LinkedHashMap<>();
		added.put(DeadLetterQueue.EXCEPTION_TYPE, IllegalStateException.class.getName());
		added.put(DeadLetterQueue.EXCEPTION_MESSAGE, error);
		added.put(DeadLetterQueue.ORIGINAL_QUEUE, "orders");
		added.put(DeadLetterQueue.ATTEMPTS, 3);
		return added;
	}

}
