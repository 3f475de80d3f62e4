package io.farine.service;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which bodies ask for their timings: RPC requests with {@code "__debug__": true} only; consumed
 * messages as the Python original's consumer reads them, any value Python counts as true.
 */
class InvocationTimingsTests {

	private final JsonCodec codec = new JsonCodec(new JsonMapper());

	@ParameterizedTest
	@ValueSource(strings = { "{\"__debug__\": true}", "{\"__debug__\": 1}", "{\"__debug__\": 0.5}",
			"{\"__debug__\": \"yes\"}", "{\"__debug__\": [0]}", "{\"__debug__\": {\"a\": 1}}" })
	void aConsumedBodyAsksWithWhatPythonCountsAsTrue(String body) {
		assertThat(InvocationTimings.askedForAsPython(bytes(body), this.codec)).isNotNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"__debug__\": false}", "{\"__debug__\": null}", "{\"__debug__\": 0}",
			"{\"__debug__\": \"\"}", "{\"__debug__\": []}", "{\"__debug__\": {}}", "{\"n\": 1}",
			"[\"__debug__\"]", "\"__debug__\"", "not json __debug__" })
	void aConsumedBodyDoesNotAskWithWhatPythonCountsAsFalseOrWithoutTheKey(String body) {
		assertThat(InvocationTimings.askedForAsPython(bytes(body), this.codec)).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"__debug__\": 1}", "{\"__debug__\": \"yes\"}" })
	void anRpcRequestAsksWithTrueOnly(String body) {
		assertThat(InvocationTimings.askedFor(bytes(body), this.codec)).isNull();
		assertThat(InvocationTimings.askedFor(bytes("{\"__debug__\": true}"), this.codec)).isNotNull();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
