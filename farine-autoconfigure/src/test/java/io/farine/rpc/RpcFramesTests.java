package io.farine.rpc;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The protocol's JSON shapes, byte for byte, and how error texts are read back. */
class RpcFramesTests {

	private final JsonMapper mapper = new JsonMapper();

	@Test
	void framesHaveExactlyTheProtocolsKeys() {
		Map<String, Object> kwargs = new LinkedHashMap<>();
		kwargs.put("b", null);
		assertThat(text(RpcFrames.request(this.mapper, Arrays.asList(1, "x", null), kwargs)))
			.isEqualTo("{\"args\":[1,\"x\",null],\"kwargs\":{\"b\":null}}");
		assertThat(text(RpcFrames.request(this.mapper, List.of(), Map.of()))).isEqualTo("{\"args\":[],\"kwargs\":{}}");
		assertThat(text(RpcFrames.item(this.mapper, 0))).isEqualTo("{\"body\":0,\"__end__\":false}");
		assertThat(text(RpcFrames.end())).isEqualTo("{\"__end__\":true}");
		assertThat(text(RpcFrames.error(this.mapper, "java.lang.IllegalStateException: \"no\"")))
			.isEqualTo("{\"__except__\":\"java.lang.IllegalStateException: \\\"no\\\"\"}");
	}

	@Test
	void aNullItemIsSentEvenByAMapperThatLeavesNullsOut() {
		JsonMapper nonNull = JsonMapper.builder()
			.changeDefaultPropertyInclusion((inclusion) -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL)
				.withContentInclusion(JsonInclude.Include.NON_NULL))
			.build();
		assertThat(text(RpcFrames.item(nonNull, null))).isEqualTo("{\"body\":null,\"__end__\":false}");
	}

	@Test
	void errorTextIsTypeAndMessageUnlessStackTracesAreOn() {
		IllegalStateException error = new IllegalStateException("boom");
		assertThat(RpcFrames.errorText(error, false)).isEqualTo("java.lang.IllegalStateException: boom");
		assertThat(RpcFrames.errorText(new IllegalStateException(), false)).isEqualTo("java.lang.IllegalStateException");
		assertThat(RpcFrames.errorText(error, true)).startsWith("java.lang.IllegalStateException: boom\n\tat ");
	}

	@Test
	void javaErrorsAreReadWithTheirTypeHeader() {
		RpcRemoteException error = RpcFrames.remoteError("s", "m", "java.lang.IllegalStateException: a: b",
				"java.lang.IllegalStateException");
		assertThat(error.getRemoteType()).isEqualTo("java.lang.IllegalStateException");
		assertThat(error.getRemoteMessage()).isEqualTo("a: b");
		RpcRemoteException noMessage = RpcFrames.remoteError("s", "m", "java.lang.IllegalStateException",
				"java.lang.IllegalStateException");
		assertThat(noMessage.getRemoteMessage()).isEmpty();
	}

	@Test
	void pythonTracebacksAreReadFromTheirLastLine() {
		RpcRemoteException error = RpcFrames.remoteError("s", "m",
				"Traceback (most recent call last):\n  File \"x.py\", line 1, in <module>\nKeyError: 'sku'\n", null);
		assertThat(error.getRemoteType()).isEqualTo("KeyError");
		assertThat(error.getRemoteMessage()).isEqualTo("'sku'");
		RpcRemoteException dotted = RpcFrames.remoteError("s", "m", "farine.exceptions.Timeout", null);
		assertThat(dotted.getRemoteType()).isEqualTo("farine.exceptions.Timeout");
		assertThat(dotted.getRemoteMessage()).isEmpty();
		RpcRemoteException prose = RpcFrames.remoteError("s", "m", "something went wrong", null);
		assertThat(prose.getRemoteType()).isNull();
		assertThat(prose.getRemoteMessage()).isEqualTo("something went wrong");
		assertThat(prose).hasMessage("s.m failed: something went wrong");
	}

	private static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

}
