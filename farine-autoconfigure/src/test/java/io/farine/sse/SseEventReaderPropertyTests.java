package io.farine.sse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.codec.ServerSentEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Whatever an SSE server sends, in whatever pieces the network cuts it into, {@link SseEventReader}
 * gives events, or fails with {@link DataBufferLimitException} for an event larger than the limit,
 * never anything else: one bad line must not end the stream, since a reconnection that replays it
 * would end it again. Events written out read back as written.
 */
class SseEventReaderPropertyTests {

	private static final int LIMIT = 4096;

	private final SseEventReader reader = new SseEventReader(LIMIT);

	@Property(tries = 1000)
	void anyBytesInAnyPiecesGiveEventsOrTheSizeError(@ForAll byte[] body, @ForAll("cuts") List<Integer> cuts) {
		try {
			read(body, cuts);
		}
		catch (DataBufferLimitException ex) {
			assertThat(body.length).isGreaterThan(LIMIT);
		}
	}

	@Property(tries = 1000)
	void sseLikeLinesGiveTheSameEventsHoweverTheyAreCut(@ForAll("sseLike") String body,
			@ForAll("cuts") List<Integer> cuts) {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		assertThat(read(bytes, cuts)).isEqualTo(read(bytes, List.of()));
	}

	@Property(tries = 1000)
	void eventsWrittenOutReadBackAsWritten(@ForAll("events") List<Seen> events, @ForAll("lineEnds") String end,
			@ForAll boolean space, @ForAll boolean bom, @ForAll("cuts") List<Integer> cuts) {
		StringBuilder body = new StringBuilder(bom ? "\uFEFF" : "");
		String colon = space ? ": " : ":";
		for (Seen event : events) {
			field(body, ":", event.comment(), colon, end);
			field(body, "id", event.id(), colon, end);
			field(body, "event", event.event(), colon, end);
			field(body, "retry", (event.retry() != null) ? String.valueOf(event.retry().toMillis()) : null, colon, end);
			field(body, "data", event.data(), colon, end);
			body.append(end);
		}
		assertThat(read(body.toString().getBytes(StandardCharsets.UTF_8), cuts)).isEqualTo(events);
	}

	// found by sseLikeLinesGiveTheSameEventsHoweverTheyAreCut, run against Spring's reader, and by reading it

	@Test
	void aLoneCarriageReturnEndsALine() {
		// shrunk: Spring's reader kept the CR in the event name, and ServerSentEvent.Builder threw
		assertThat(read("event:!\rdata: \n\n")).containsExactly(new Seen(null, "!", "", null, null));
	}

	@Test
	void aRetryThatIsNotANumberIsIgnoredAndTheStreamGoesOn() {
		assertThat(read("retry: soon\ndata: a\n\nid: 2\nretry: -1\ndata: b\n\nretry: 99999999999999999999\ndata: c\n\n"))
			.containsExactly(new Seen(null, null, "a", null, null), new Seen("2", null, "b", null, null),
					new Seen(null, null, "c", null, null));
	}

	@Test
	void fieldsFollowTheHtmlStandard() {
		assertThat(read("\uFEFFdata\rid: a\u0000b\rdata:  two spaces \r\n\r\nevent:x\nid:\ndata: 1\n\n: only a comment\n\n"))
			.containsExactly(new Seen(null, null, "\n two spaces ", null, null), new Seen("", "x", "1", null, null),
					new Seen(null, null, null, null, "only a comment"));
		// what the body ends with before a blank line is not an event
		assertThat(read("data: 1\n\ndata: 2\n")).containsExactly(new Seen(null, null, "1", null, null));
		assertThat(read("data: 1\n\ndata: 2\r")).containsExactly(new Seen(null, null, "1", null, null));
	}

	@Test
	void anEventLargerThanTheLimitFailsTheStreamSayingSo() {
		String large = ("data: " + "x".repeat(99) + "\n").repeat(LIMIT / 100 + 1) + "\n";
		assertThatExceptionOfType(DataBufferLimitException.class).isThrownBy(() -> read(large))
			.withMessage("An SSE event holds more than 4096 characters (max_message_size)");
		assertThatExceptionOfType(DataBufferLimitException.class)
			.isThrownBy(() -> read("data: " + "x".repeat(LIMIT) + "\n\n"));
	}

	@Provide
	Arbitrary<List<Integer>> cuts() {
		return Arbitraries.integers().between(0, 2000).list().ofMaxSize(8);
	}

	@Provide
	Arbitrary<String> lineEnds() {
		return Arbitraries.of("\n", "\r\n", "\r");
	}

	@Provide
	Arbitrary<String> sseLike() {
		Arbitrary<String> field = Arbitraries.of("data", "event", "id", "retry", "", "dat", "data ", " data", "DATA",
				"id\u0000", "retry\r", "\uFEFF");
		Arbitrary<String> separator = Arbitraries.of(":", ": ", ":  ", "", "::", " :");
		Arbitrary<String> value = Arbitraries.oneOf(
				Arbitraries.strings().ofMaxLength(12),
				Arbitraries.strings().numeric().ofMaxLength(25),
				Arbitraries.of("-1", "+5", "1e3", "0x10", " 7", "7 ", "\u0661", "9223372036854775808", "{\"a\": 1}",
						"a\u0000b", "\u00e9\u4e2d\uD83D\uDE00"));
		Arbitrary<String> end = Arbitraries.of("\n", "\n", "\r\n", "\r", "\n\n", "\r\n\r\n", "\r\r");
		return Combinators.combine(field, separator, value, end).as((f, s, v, e) -> f + s + v + e)
			.list().ofMaxSize(25).map((lines) -> String.join("", lines));
	}

	@Provide
	Arbitrary<List<Seen>> events() {
		Arbitrary<String> text = Arbitraries.strings().ofMaxLength(10)
			.filter((t) -> t.indexOf('\r') < 0 && t.indexOf('\n') < 0 && t.indexOf('\u0000') < 0
					&& StandardCharsets.UTF_8.newEncoder().canEncode(t));
		Arbitrary<String> data = text.list().ofMinSize(1).ofMaxSize(3).map((lines) -> String.join("\n", lines));
		Arbitrary<Duration> retry = Arbitraries.longs().between(0, Long.MAX_VALUE / 1000).map(Duration::ofMillis);
		Arbitrary<Seen> event = Combinators.combine(text.injectNull(0.5), text.injectNull(0.5), data.injectNull(0.2),
				retry.injectNull(0.7), text.injectNull(0.8))
			.as(Seen::new)
			.filter((e) -> e.id() != null || e.event() != null || e.data() != null || e.retry() != null
					|| e.comment() != null);
		return event.list().ofMaxSize(6);
	}

	private static void field(StringBuilder body, String name, @Nullable String value, String colon, String end) {
		if (value == null) {
			return;
		}
		for (String line : value.split("\n", -1)) {
			// a value that starts with a space needs the one space a reader drops
			body.append(name.equals(":") ? "" : name).append(line.startsWith(" ") ? ": " : colon).append(line).append(end);
		}
	}

	private List<Seen> read(String body) {
		return read(body.getBytes(StandardCharsets.UTF_8), List.of());
	}

	/** Reads the bytes sent in pieces, cut at the given offsets. */
	private List<Seen> read(byte[] body, List<Integer> cuts) {
		List<byte[]> pieces = new ArrayList<>();
		int start = 0;
		for (int cut : cuts.stream().map((c) -> Math.min(c, body.length)).sorted().toList()) {
			pieces.add(Arrays.copyOfRange(body, start, cut));
			start = cut;
		}
		pieces.add(Arrays.copyOfRange(body, start, body.length));
		Flux<DataBuffer> buffers = Flux.fromIterable(pieces).map(DefaultDataBufferFactory.sharedInstance::wrap);
		return this.reader.read(buffers).map(Seen::of).collectList().block(Duration.ofSeconds(10));
	}

	/** What an event carries, comparable. */
	record Seen(@Nullable String id, @Nullable String event, @Nullable String data, @Nullable Duration retry,
			@Nullable String comment) {

		static Seen of(ServerSentEvent<String> event) {
			return new Seen(event.id(), event.event(), event.data(), event.retry(), event.comment());
		}

	}

}
