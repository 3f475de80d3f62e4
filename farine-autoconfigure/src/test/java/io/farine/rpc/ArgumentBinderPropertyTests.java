package io.farine.rpc;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.farine.service.ArgumentConversionException;
import io.farine.service.HandlerMethod;
import io.farine.service.JsonCodec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeout;

/**
 * Whatever an RPC request holds, binding it gives the method's arguments or an
 * {@link ArgumentConversionException} naming what is wrong (which the server sends back as the
 * call's error), never another exception: a request is whatever anyone who can publish to the
 * service's exchange sent.
 */
class ArgumentBinderPropertyTests {

	private static final List<String> KEYS = List.of("args", "kwargs", "a", "b", "id", "name", "big", "amount",
			"ratio", "flag", "extra", "point", "more", "table", "numbers", "at", "uuid", "data", "color", "letter",
			"period", "uri", "day", "node", "any", "x", "y");

	private final JsonCodec codec = new JsonCodec(new JsonMapper());

	@Property(tries = 1000)
	void aRequestBindsOrSaysWhatIsWrong(@ForAll("methods") Method method, @ForAll("requests") byte[] request) {
		resolveOrRefuse(method, request);
	}

	@Property(tries = 1000)
	void anyBytesBindOrSayWhatIsWrong(@ForAll("methods") Method method, @ForAll byte[] request) {
		resolveOrRefuse(method, request);
	}

	/** The one-pass read is an optimisation: what it binds, the tree binds the same way. */
	@Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
	@StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
	void aRequestReadInOnePassBindsAsItsTreeDoes(@ForAll("typedCalls") Call call) {
		// the requests are worth reading in one pass: a fair share binds
		Statistics.label("bound").coverage((coverage) -> coverage.check(true).percentage((p) -> p > 20));
		ArgumentBinder binder = binder(call.method());
		Object[] values;
		try {
			values = binder.resolve(call.request());
		}
		catch (ArgumentConversionException ex) {
			Statistics.label("bound").collect(false);
			return;
		}
		Statistics.label("bound").collect(true);
		assertThat(Arrays.deepEquals(values, binder.bind(this.codec.parse(call.request())))).as("%s", call).isTrue();
	}

	@Test
	void aRequestNested100000DeepIsRefusedQuickly() {
		String nested = "[".repeat(100_000) + "]".repeat(100_000);
		for (String request : List.of("{\"args\": " + nested + "}", "{\"args\": [" + nested + ", 2]}",
				"{\"kwargs\": {\"a\": " + nested + "}}", "{\"__debug__\": " + nested + ", \"args\": [1, 2]}", nested)) {
			for (String method : List.of("add", "tree", "raw")) {
				assertTimeout(Duration.ofSeconds(10), () -> assertThatExceptionOfType(ArgumentConversionException.class)
					.isThrownBy(() -> binder(method).resolve(bytes(request)))
					.withMessageContaining("nesting depth"));
			}
		}
	}

	@Test
	void aTenMegabyteNumberIsRefusedQuickly() {
		String number = "1".repeat(10 * 1024 * 1024);
		for (String request : List.of("{\"args\": [" + number + ", 2]}", "{\"args\": [1, 2." + number + "]}",
				"{\"kwargs\": {\"big\": " + number + "}}", "{\"__debug__\": " + number + ", \"args\": [1, 2]}")) {
			for (String method : List.of("add", "mixed", "tree", "raw")) {
				assertTimeout(Duration.ofSeconds(10), () -> assertThatExceptionOfType(ArgumentConversionException.class)
					.isThrownBy(() -> binder(method).resolve(bytes(request)))
					.withMessageContaining("Number value length"));
			}
		}
	}

	@Provide
	Arbitrary<Method> methods() {
		return Arbitraries.of("add", "mixed", "shapes", "others", "tree", "raw", "none")
			.map(ArgumentBinderPropertyTests::method);
	}

	/**
	 * Requests whose arguments mostly fit their parameters, some positional and some by keyword,
	 * to methods whose types read from a tree exactly as from the bytes (not a decimal's digits).
	 */
	@Provide
	Arbitrary<Call> typedCalls() {
		return Arbitraries.of("add", "shapes", "others", "tree", "none")
			.map(ArgumentBinderPropertyTests::method)
			.flatMap((method) -> {
				Parameter[] parameters = method.getParameters();
				List<Arbitrary<String>> arguments = new ArrayList<>();
				for (Parameter parameter : parameters) {
					arguments.add(Arbitraries.frequencyOf(Tuple.of(9, valueOf(parameter.getType())),
							Tuple.of(1, JsonText.value(KEYS))));
				}
				Arbitrary<List<String>> values = Combinators.combine(arguments).as(ArrayList::new);
				return Combinators.combine(values, Arbitraries.integers().between(0, parameters.length),
						Arbitraries.of(true, false))
					.as((given, positional, argsFirst) -> {
						List<String> args = given.subList(0, positional);
						List<String> kwargs = new ArrayList<>();
						for (int i = positional; i < parameters.length; i++) {
							kwargs.add(JsonText.quote(parameters[i].getName()) + ": " + given.get(i));
						}
						String argsMember = "\"args\": [" + String.join(", ", args) + "]";
						String kwargsMember = "\"kwargs\": {" + String.join(", ", kwargs) + "}";
						return new Call(method, bytes("{" + (argsFirst ? argsMember + ", " + kwargsMember
								: kwargsMember + ", " + argsMember) + "}"));
					});
			});
	}

	/** JSON that fits a parameter type of {@link Target}, or nearly does. */
	private static Arbitrary<String> valueOf(Class<?> type) {
		Arbitrary<String> integer = Arbitraries.oneOf(Arbitraries.integers().between(-1000, 1000).map(String::valueOf),
				Arbitraries.integers().map(String::valueOf), Arbitraries.of("\"12\"", "1.0", "1.5", "2147483648"));
		Arbitrary<String> point = Combinators.combine(integer, integer)
			.as((x, y) -> "{\"x\": " + x + ", \"y\": " + y + "}");
		if (type == int.class) {
			return integer;
		}
		if (type == Point.class) {
			return point;
		}
		if (type == List.class) {
			return point.list().ofMaxSize(3).map((items) -> "[" + String.join(", ", items) + "]");
		}
		if (type == Map.class) {
			Arbitrary<String> numbers = integer.list().ofMaxSize(3).map((items) -> "[" + String.join(", ", items) + "]");
			return Combinators.combine(Arbitraries.strings().alpha().ofMaxLength(4), numbers)
				.as((k, v) -> JsonText.quote(k) + ": " + v)
				.list().ofMaxSize(3).map((members) -> "{" + String.join(", ", members) + "}");
		}
		if (type == int[].class) {
			return integer.list().ofMaxSize(4).map((items) -> "[" + String.join(", ", items) + "]");
		}
		Map<Class<?>, List<String>> samples = Map.of(
				Instant.class, List.of("\"2025-01-31T10:15:30Z\"", "1700000000", "1700000000.5", "\"2025-01-31\""),
				UUID.class, List.of("\"3f2504e0-4f89-11d3-9a0c-0305e82c3301\"", "\"3f2504e0\""),
				byte[].class, List.of("\"AAEC\"", "\"\"", "[1, 2, 3]", "\"A\""),
				Color.class, List.of("\"RED\"", "\"GREEN\"", "0", "1", "\"BLUE\""),
				char.class, List.of("\"a\"", "\"ab\"", "65", "\"\""),
				Duration.class, List.of("\"PT1S\"", "1.5", "3", "\"P1D\""),
				URI.class, List.of("\"http://x/\"", "\"a b\"", "\"urn:x\""),
				LocalDate.class, List.of("\"2025-01-31\"", "\"2025-02-30\"", "[2025, 1, 31]", "20000"));
		List<String> known = samples.get(type);
		return (known != null) ? Arbitraries.of(known) : JsonText.value(KEYS);
	}

	@Provide
	Arbitrary<byte[]> requests() {
		return JsonText.requests(KEYS);
	}

	private void resolveOrRefuse(Method method, byte[] request) {
		try {
			Object[] values = binder(method).resolve(request);
			assertThat(values).hasSize(method.getParameterCount());
		}
		catch (ArgumentConversionException ex) {
			assertThat(ex.getMessage()).isNotBlank();
		}
	}

	private ArgumentBinder binder(String name) {
		return binder(method(name));
	}

	private ArgumentBinder binder(Method method) {
		JavaType[] types = Arrays.stream(method.getGenericParameterTypes())
			.map(this.codec::type)
			.toArray(JavaType[]::new);
		return new ArgumentBinder(new HandlerMethod("s", new Target(), method, types, false), "s." + method.getName(),
				this.codec);
	}

	private static Method method(String name) {
		return Arrays.stream(Target.class.getDeclaredMethods())
			.filter((candidate) -> candidate.getName().equals(name))
			.findFirst()
			.orElseThrow();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/** A request to a method, shown as text when a property fails. */
	record Call(Method method, byte[] request) {

		@Override
		public String toString() {
			return this.method.getName() + " <- " + new String(this.request, StandardCharsets.UTF_8);
		}

	}

	record Point(int x, int y) {
	}

	enum Color {

		RED, GREEN

	}

	static class Target {

		int add(int a, int b) {
			return a + b;
		}

		void mixed(long id, String name, BigInteger big, BigDecimal amount, double ratio, boolean flag,
				Optional<Integer> extra) {
		}

		void shapes(Point point, List<Point> more, Map<String, List<Integer>> table, int[] numbers) {
		}

		void others(Instant at, UUID uuid, byte[] data, Color color, char letter, Duration period, URI uri,
				LocalDate day) {
		}

		void tree(JsonNode node, Object any) {
		}

		void raw(RpcArguments arguments) {
		}

		void none() {
		}

	}

}
