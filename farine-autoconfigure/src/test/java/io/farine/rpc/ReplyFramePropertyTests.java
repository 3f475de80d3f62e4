package io.farine.rpc;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.farine.service.JsonCodec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeout;

/**
 * Whatever a reply frame holds, reading it gives its items, its end, its error text or a
 * {@link ReplyFrame#failure()} naming the call and what is wrong, and never throws: a frame is
 * whatever anyone who can publish to the caller's exchange sent, and one that threw would leave
 * the call waiting until its timeout with no word of why.
 */
class ReplyFramePropertyTests {

	private static final List<String> KEYS = List.of(RpcFrames.BODY, RpcFrames.END, RpcFrames.EXCEPT,
			RpcFrames.ITEMS, "x", "y");

	private static final RpcTransport.Call CALL = new RpcTransport.Call("calc", "add", List.of(), Map.of(),
			Duration.ofSeconds(1), false);

	private final JsonCodec codec = new JsonCodec(new JsonMapper());

	@Property(tries = 1000)
	void aFrameIsReadOrItsFailureSaysWhy(@ForAll("types") JavaType type, @ForAll("frames") byte[] frame) {
		assertRead(type, frame);
	}

	@Property(tries = 1000)
	void anyBytesAreReadOrTheirFailureSaysWhy(@ForAll("types") JavaType type, @ForAll byte[] frame) {
		assertRead(type, frame);
	}

	@Test
	void aFrameNested100000DeepFailsQuickly() {
		String nested = "[".repeat(100_000) + "]".repeat(100_000);
		for (String frame : List.of("{\"body\": " + nested + ", \"__end__\": true}", "{\"__items__\": " + nested + "}",
				"{\"__except__\": " + nested + "}", "{\"x\": " + nested + ", \"__end__\": true}", nested)) {
			for (JavaType type : List.of(type(Object.class), type(String.class), type(JsonNode.class),
					type(new TypeReference<List<Object>>() { }))) {
				ReplyFrame read = assertTimeout(Duration.ofSeconds(10), () -> read(type, frame));
				assertThat(read.failure()).as(frame.substring(0, 20) + " as " + type)
					.hasMessageContaining("nesting depth");
			}
		}
	}

	@Test
	void aTenMegabyteNumberFailsQuickly() {
		String number = "1".repeat(10 * 1024 * 1024);
		for (String frame : List.of("{\"body\": " + number + ", \"__end__\": true}", "{\"__items__\": [1, 0." + number
				+ "]}", "{\"__except__\": -" + number + "}", "{\"x\": " + number + ", \"__end__\": true}")) {
			for (JavaType type : List.of(type(Integer.class), type(BigInteger.class), type(BigDecimal.class),
					type(String.class), type(Object.class))) {
				ReplyFrame read = assertTimeout(Duration.ofSeconds(10), () -> read(type, frame));
				assertThat(read.failure()).as(frame.substring(0, 20) + " as " + type)
					.hasMessageContaining("Number value length");
			}
		}
	}

	@Provide
	Arbitrary<JavaType> types() {
		return Arbitraries.of(type(Object.class), type(int.class), type(Integer.class), type(long.class),
				type(double.class), type(String.class), type(Boolean.class), type(BigDecimal.class),
				type(BigInteger.class), type(JsonNode.class), type(Calculator.Point.class), type(int[].class),
				type(byte[].class), type(char.class), type(Instant.class), type(LocalDate.class), type(Duration.class),
				type(UUID.class), type(URI.class), type(new TypeReference<List<Integer>>() { }),
				type(new TypeReference<Map<String, List<Calculator.Point>>>() { }),
				type(new TypeReference<Optional<Integer>>() { }));
	}

	@Provide
	Arbitrary<byte[]> frames() {
		return JsonText.documents(KEYS);
	}

	private void assertRead(JavaType type, byte[] body) {
		ReplyFrame frame = ReplyFrame.read(body, type, this.codec, CALL);
		if (frame.error() != null) {
			assertThat(frame.end()).isTrue();
			assertThat(frame.items()).isEmpty();
			assertThat(frame.failure()).isNull();
		}
		if (frame.failure() != null) {
			assertThat(frame.failure().getMessage()).containsAnyOf("Reply frame of calc.add ",
					"Cannot convert the reply of calc.add ");
			assertThat(frame.end()).isFalse();
		}
	}

	private ReplyFrame read(JavaType type, String frame) {
		return ReplyFrame.read(frame.getBytes(StandardCharsets.UTF_8), type, this.codec, CALL);
	}

	private JavaType type(Class<?> type) {
		return this.codec.type(type);
	}

	private JavaType type(TypeReference<?> type) {
		return this.codec.mapper().getTypeFactory().constructType(type);
	}

}
