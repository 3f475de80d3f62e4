package io.farine.rpc;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.farine.service.JsonCodec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reading reply frames into the caller's type: every shape a farine or Python server sends, read
 * in one pass as a tree would read it, and a clear error for what does not fit.
 */
class ReplyFrameTests {

	private final JsonCodec codec = new JsonCodec(new JsonMapper());

	private final RpcTransport.Call call = new RpcTransport.Call("calc", "add", List.of(), Map.of(),
			Duration.ofSeconds(1), false);

	@Test
	void everyShapeOfFrameGivesItsItemsAndWhetherItEnds() {
		assertFrame(read("{\"body\": 7, \"__end__\": false}", Integer.class), false, 7);
		assertFrame(read("{\"body\":7,\"__end__\":true}", Integer.class), true, 7);
		assertFrame(read("{\"__end__\": true}", Integer.class), true);
		assertFrame(read("{\"__end__\":true}", Integer.class), true);
		assertFrame(read("{\"__items__\": [1, 2, 3]}", Integer.class), false, 1, 2, 3);
		assertFrame(read("{\"__end__\": false, \"body\": \"7\", \"extra\": {\"a\": [1]}}", Integer.class), false, 7);
		assertFrame(read("{\"body\": {\"x\": 1, \"y\": 2}, \"__end__\": true}", Calculator.Point.class), true,
				new Calculator.Point(1, 2));
		assertFrame(read("{\"body\": null, \"__end__\": false}", Integer.class), false, (Object) null);
		assertFrame(read("{\"__items__\": [\"a\", 1, {\"b\": true}, null]}", String.class), false, "a", "1",
				"{\"b\":true}", null);
		ReplyFrame tree = read("{\"body\": {\"k\": [1, null]}, \"__end__\": true}", JsonNode.class);
		assertThat(tree.items()).singleElement().hasToString("{\"k\":[1,null]}");
	}

	@Test
	void aDecimalResultKeepsEveryDigit() {
		assertFrame(read("{\"body\": 0.10000000000000000000001, \"__end__\": true}", BigDecimal.class), true,
				new BigDecimal("0.10000000000000000000001"));
		assertFrame(read("{\"__items__\": [0.10000000000000000000001, 2.5]}", BigDecimal.class), false,
				new BigDecimal("0.10000000000000000000001"), new BigDecimal("2.5"));
	}

	@Test
	void anErrorFrameGivesItsTextAndEnds() {
		ReplyFrame error = read("{\"__except__\": \"Traceback...\\nKeyError: 7\"}", Integer.class);
		assertThat(error.error()).isEqualTo("Traceback...\nKeyError: 7");
		assertThat(error.items()).isEmpty();
		assertThat(error.failure()).isNull();
		assertThat(read("{\"__except__\": {\"code\": 1}}", Integer.class).error()).isEqualTo("{\"code\":1}");
	}

	@Test
	void whatCannotBeReadIsAFailureNamingTheCallAndWhatWasWrong() {
		assertThat(read("not json", Integer.class).failure())
			.hasMessageStartingWith("Reply frame of calc.add is not JSON: ");
		assertThat(read("{\"__end__\": false}", Integer.class).failure())
			.hasMessage("Reply frame of calc.add has none of body, __end__ or __except__: {\"__end__\":false}");
		assertThat(read("[1, 2]", Integer.class).failure())
			.hasMessageStartingWith("Reply frame of calc.add has none of body, __end__ or __except__");
		assertThat(read("{\"body\": null, \"__end__\": false}", int.class).failure())
			.hasMessageStartingWith("Cannot convert the reply of calc.add (null) to int: ");
		ReplyFrame misfit = read("{\"body\": \"free\", \"__end__\": true}", Calculator.Point.class);
		assertThat(misfit.items()).isEmpty();
		assertThat(misfit.failure())
			.hasMessageStartingWith("Cannot convert the reply of calc.add (\"free\") to io.farine.rpc.Calculator$Point: ");
	}

	@Test
	void aBatchWithAnItemThatDoesNotFitKeepsTheItemsBeforeIt() {
		ReplyFrame frame = read("{\"__items__\": [1, 2, \"three\", 4]}", Integer.class);
		assertThat(frame.items()).containsExactly(1, 2);
		assertThat(frame.failure()).hasMessageStartingWith("Cannot convert the reply of calc.add (\"three\") to ");
	}

	private ReplyFrame read(String json, Class<?> type) {
		JavaType javaType = this.codec.type(type);
		return ReplyFrame.read(json.getBytes(StandardCharsets.UTF_8), javaType, this.codec, this.call);
	}

	private static void assertFrame(ReplyFrame frame, boolean end, Object... items) {
		assertThat(frame.failure()).isNull();
		assertThat(frame.error()).isNull();
		assertThat(frame.end()).isEqualTo(end);
		assertThat(frame.items()).isEqualTo(Arrays.asList(items));
	}

}
