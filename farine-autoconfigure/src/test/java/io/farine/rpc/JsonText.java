package io.farine.rpc;

import java.nio.charset.StandardCharsets;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * JSON text for the property-based tests of the RPC parsers: documents near the frames and
 * requests of docs/wire-protocol.md (their keys, every kind of value, nesting, numbers too long or
 * too large for their type), and the same documents cut, spliced or sprinkled with stray
 * characters, so a parser sees both what a careless peer and what a hostile one sends.
 */
final class JsonText {

	private JsonText() {
	}

	/**
	 * JSON documents, mostly objects whose keys come mostly from {@code keys}.
	 * @param keys the keys the parser looks for
	 * @return documents, valid or nearly so, as UTF-8
	 */
	static Arbitrary<byte[]> documents(List<String> keys) {
		return Arbitraries.frequencyOf(
				tuple(6, documentOf(keys)),
				tuple(3, documentOf(keys).flatMap(JsonText::damaged)),
				tuple(1, Arbitraries.strings().ofMaxLength(80)))
			.map((text) -> text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * RPC requests: {@code args} and {@code kwargs} (either, both, in either order, with an extra
	 * key), the keyword arguments named after parameters; else any document as above.
	 * @param names the parameter names, and any other key the parser looks for
	 * @return requests, valid or nearly so, as UTF-8
	 */
	static Arbitrary<byte[]> requests(List<String> names) {
		Arbitrary<String> value = value(names);
		Arbitrary<String> args = value.list().ofMaxSize(8).map((items) -> "[" + String.join(", ", items) + "]");
		Arbitrary<String> kwargs = Combinators.combine(Arbitraries.of(names), value)
			.as((name, v) -> quote(name) + ": " + v)
			.list()
			.ofMaxSize(4)
			.map((members) -> "{" + String.join(", ", members) + "}");
		Arbitrary<String> request = Combinators.combine(args, kwargs, value, Arbitraries.integers().between(0, 4))
			.as((a, k, extra, shape) -> switch (shape) {
				case 0 -> "{\"args\": " + a + "}";
				case 1 -> "{\"kwargs\": " + k + "}";
				case 2 -> "{\"args\": " + a + ", \"kwargs\": " + k + "}";
				case 3 -> "{\"kwargs\": " + k + ", \"args\": " + a + "}";
				default -> "{\"args\": " + a + ", \"__debug__\": " + extra + ", \"kwargs\": " + k + "}";
			});
		return Arbitraries.frequencyOf(
				tuple(6, request),
				tuple(2, request.flatMap(JsonText::damaged)),
				tuple(2, documents(names).map((bytes) -> new String(bytes, StandardCharsets.UTF_8))))
			.map((text) -> text.getBytes(StandardCharsets.UTF_8));
	}

	private static Arbitrary<String> documentOf(List<String> keys) {
		return Arbitraries.frequencyOf(tuple(8, object(value(keys), keys)), tuple(2, value(keys)));
	}

	/** Any JSON value, nested up to four levels. */
	static Arbitrary<String> value(List<String> keys) {
		return Arbitraries.recursive(JsonText::scalar,
				(inner) -> Arbitraries.oneOf(inner, array(inner), object(inner, keys)), 0, 4);
	}

	private static Arbitrary<String> array(Arbitrary<String> element) {
		return element.list().ofMaxSize(4).map((items) -> "[" + String.join(", ", items) + "]");
	}

	private static Arbitrary<String> object(Arbitrary<String> value, List<String> keys) {
		Arbitrary<String> key = Arbitraries.frequencyOf(tuple(7, Arbitraries.of(keys)),
				tuple(3, Arbitraries.strings().alpha().numeric().withChars("_-").ofMaxLength(8)));
		Arbitrary<String> member = Combinators.combine(key, value).as((k, v) -> quote(k) + ": " + v);
		return member.list().ofMaxSize(5).map((members) -> "{" + String.join(", ", members) + "}");
	}

	private static Arbitrary<String> scalar() {
		return Arbitraries.frequencyOf(
				tuple(2, Arbitraries.of("null", "true", "false")),
				tuple(3, Arbitraries.integers().map(String::valueOf)),
				tuple(3, Arbitraries.integers().between(-3, 3).map(String::valueOf)),
				tuple(1, Arbitraries.longs().map(String::valueOf)),
				tuple(1, Arbitraries.strings().numeric().ofMinLength(19).ofMaxLength(60)),
				tuple(1, Arbitraries.doubles().map(String::valueOf)),
				tuple(1, Arbitraries.of("1e400", "-1e400", "1e-400", "1e99999", "1e100001", "-0", "0.1e-999999",
						"123456789012345678901234567890.000000000000000000001", "2147483648", "-9223372036854775809",
						"1E+2147483647", "1e-2147483648", "0e999999999")),
				tuple(3, Arbitraries.strings().ofMaxLength(12).map(JsonText::quote)),
				tuple(1, Arbitraries.of("\"RED\"", "\"2025-01-31\"", "\"2025-01-31T10:15:30Z\"", "\"PT1S\"",
						"\"3f2504e0-4f89-11d3-9a0c-0305e82c3301\"", "\"http://x/\"", "\"a\"", "{\"x\": 1, \"y\": 2}")),
				tuple(1, Arbitraries.of("\"\\u0000\"", "\"\\uD800\"", "\"\\uDC00\\uD800\"", "\"\\x41\"", "\"\\u12\"",
						"\"1\"", "\"2025-13-45\"", "\"P1D\"", "\"AAEC\"", "\"x y\"")));
	}

	/** The document cut short, a piece of it repeated, or stray characters put in. */
	private static Arbitrary<String> damaged(String document) {
		Arbitrary<Integer> at = Arbitraries.integers().between(0, document.length());
		Arbitrary<String> stray = Arbitraries.of("{", "}", "[", "]", ",", ":", "\"", "\\", "\u0000", "\uD800", "-",
				"e", ".", " ", "nul", "tru", "/*", "//", "#", "NaN", "Infinity", "'");
		return Arbitraries.oneOf(
				at.map((i) -> document.substring(0, i)),
				Combinators.combine(at, at).as((i, j) -> document.substring(0, Math.max(i, j))
						+ document.substring(Math.min(i, j))),
				Combinators.combine(at, stray).as((i, s) -> document.substring(0, i) + s + document.substring(i)));
	}

	static String quote(String text) {
		StringBuilder quoted = new StringBuilder("\"");
		for (char c : text.toCharArray()) {
			switch (c) {
				case '"' -> quoted.append("\\\"");
				case '\\' -> quoted.append("\\\\");
				default -> {
					if (c < 0x20) {
						quoted.append(String.format("\\u%04x", (int) c));
					}
					else {
						quoted.append(c);
					}
				}
			}
		}
		return quoted.append('"').toString();
	}

	private static Tuple2<Integer, Arbitrary<? extends String>> tuple(int weight, Arbitrary<String> arbitrary) {
		return Tuple.of(weight, arbitrary);
	}

}
