package io.farine.rpc;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.farine.service.ArgumentConversionException;
import io.farine.service.HandlerMethod;
import io.farine.service.JsonCodec;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Binding requests to parameters: a well-formed request is read in one pass, and binds exactly as
 * its tree does; any other request gets the tree's error.
 */
class ArgumentBinderTests {

	private final JsonCodec codec = new JsonCodec(new JsonMapper());

	@Test
	void wellFormedRequestsBindAsTheirTreesDo() {
		ArgumentBinder add = binder("add");
		assertBoth(add, "{\"args\": [1, 2], \"kwargs\": {}}", 1, 2);
		assertBoth(add, "{\"args\": [1], \"kwargs\": {\"b\": 2}}", 1, 2);
		assertBoth(add, "{\"kwargs\": {\"b\": 2, \"a\": 1}, \"args\": []}", 1, 2);
		assertBoth(add, "{\"args\": [\"1\", 2.0], \"kwargs\": null, \"__debug__\": {\"x\": [1]}}", 1, 2);
		ArgumentBinder shapes = binder("shapes");
		assertBoth(shapes, "{\"args\": [{\"x\": 1, \"y\": 2}], \"kwargs\": {\"more\": [{\"x\": 3, \"y\": 4}]}}",
				new Point(1, 2), List.of(new Point(3, 4)), Optional.empty());
		assertBoth(shapes, "{\"args\": [null, [], 5]}", null, List.of(), Optional.of(5));
		ArgumentBinder texts = binder("texts");
		assertBoth(texts, "{\"args\": [\"a\", 12, {\"b\": [true]}], \"kwargs\": {}}", "a", "12", "{\"b\":[true]}");
		Object[] tree = binder("tree").resolve(bytes("{\"args\": [{\"k\": [1, null]}, null]}"));
		assertThat(tree[0]).hasToString("{\"k\":[1,null]}");
		assertThat(tree[1]).isNull();
	}

	@Test
	void aDecimalParameterGetsEveryDigitSent() {
		Object[] values = binder("exact").resolve(bytes("{\"args\": [0.10000000000000000000001], \"kwargs\": {}}"));
		assertThat(values).containsExactly(new BigDecimal("0.10000000000000000000001"));
	}

	@Test
	void badRequestsNameWhatIsWrong() {
		ArgumentBinder add = binder("add");
		assertInvalid(add, "{\"args\": [1, 2, 3]}", "takes 2 arguments but 3 were given");
		assertInvalid(add, "{\"args\": [1]}", "is missing argument 'b' (parameter 2)");
		assertInvalid(add, "{\"args\": [1, 2], \"kwargs\": {\"c\": 3}}", "unexpected keyword argument(s) [c]");
		assertInvalid(add, "{\"args\": [1, 2], \"kwargs\": {\"a\": 3}}", "multiple values for argument 'a'");
		assertInvalid(add, "{\"kwargs\": {\"a\": 3}, \"args\": [1, 2]}", "multiple values for argument 'a'");
		assertInvalid(add, "{\"args\": {\"a\": 1}}", "'args' is not a JSON array");
		assertInvalid(add, "{\"args\": [], \"kwargs\": [1]}", "'kwargs' is not a JSON object");
		assertInvalid(add, "[1, 2]", "the request is not a JSON object");
		assertInvalid(add, "{\"args\": [null, 2]}", "Cannot convert null to int for parameter 1 of Target.add");
		assertInvalid(add, "{\"args\": [\"one\", 2]}", "Cannot convert \"one\" to int for parameter 1 of Target.add");
		assertThatExceptionOfType(ArgumentConversionException.class).isThrownBy(() -> add.resolve(bytes("{\"args\": [1,")))
			.withMessageContaining("Body is not valid JSON");
		assertThatExceptionOfType(ArgumentConversionException.class)
			.isThrownBy(() -> add.resolve(bytes("{\"args\": [1, 2]} {}")))
			.withMessageContaining("Body is not valid JSON");
	}

	private void assertBoth(ArgumentBinder binder, String request, Object... expected) {
		assertThat(binder.resolve(bytes(request))).as(request).containsExactly(expected);
		assertThat(binder.bind(this.codec.parse(bytes(request)))).as(request).containsExactly(expected);
	}

	private static void assertInvalid(ArgumentBinder binder, String request, String problem) {
		assertThatExceptionOfType(ArgumentConversionException.class).as(request)
			.isThrownBy(() -> binder.resolve(bytes(request)))
			.withMessageContaining(problem);
	}

	private ArgumentBinder binder(String name) {
		Method method = Arrays.stream(Target.class.getDeclaredMethods())
			.filter((candidate) -> candidate.getName().equals(name))
			.findFirst()
			.orElseThrow();
		JavaType[] types = Arrays.stream(method.getGenericParameterTypes())
			.map(this.codec::type)
			.toArray(JavaType[]::new);
		return new ArgumentBinder(new HandlerMethod("s", new Target(), method, types, false), "s." + name, this.codec);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	record Point(int x, int y) {
	}

	static class Target {

		int add(int a, int b) {
			return a + b;
		}

		int shapes(Point first, List<Point> more, Optional<Integer> extra) {
			return 0;
		}

		String texts(String a, String b, String c) {
			return a;
		}

		Object tree(JsonNode node, Map<String, Object> other) {
			return node;
		}

		BigDecimal exact(BigDecimal amount) {
			return amount;
		}

	}

}
