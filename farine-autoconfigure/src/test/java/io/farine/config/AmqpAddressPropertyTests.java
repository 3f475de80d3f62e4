package io.farine.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever an {@code amqp_uri} holds, {@link AmqpAddress#parseAll} reads its nodes or throws an
 * {@link IllegalArgumentException} saying what is wrong, never anything else and never quoting
 * the password; a URI built from its parts reads back as those parts.
 */
class AmqpAddressPropertyTests {

	/**
	 * Letters no message of farine's writes three of in a row, in either case: a password made of
	 * them is seen wherever it leaks.
	 */
	private static final String MARKERS = "QXZJKVWY";

	@Property(tries = 1000)
	void anyTextIsReadOrRefused(@ForAll String text) {
		readOrRefuse(text);
	}

	@Property(tries = 1000)
	void uriLikeTextIsReadOrRefused(@ForAll("uriLike") String text) {
		readOrRefuse(text);
	}

	@Property(tries = 1000)
	void aUriBuiltFromItsPartsReadsBackAsThoseParts(@ForAll("clusters") List<AmqpAddress> nodes,
			@ForAll("separators") String separator, @ForAll("tails") String tail) {
		List<String> uris = new ArrayList<>();
		for (AmqpAddress node : nodes) {
			uris.add(uri(node) + tail);
		}
		assertThat(AmqpAddress.parseAll(String.join(separator, uris))).containsExactlyElementsOf(nodes);
	}

	@Property(tries = 1000)
	void aUriWithoutUserReadsAsGuest(@ForAll("hosts") String host, @ForAll("schemes") String scheme) {
		AmqpAddress address = AmqpAddress.parseAll(scheme + "://" + host + "/").get(0);
		assertThat(address.username()).isEqualTo("guest");
		assertThat(address.password()).isEqualTo("guest");
		assertThat(address.virtualHost()).isEqualTo("/");
	}

	/**
	 * A password, percent-encoded or not (with {@code /}, {@code ?}, {@code #}, {@code @},
	 * {@code ;} or {@code ,} in it, which end the user information or the node when not
	 * encoded), in a URI that is valid or not: no part of it is in an error or in the nodes'
	 * description, which farine logs.
	 */
	@Property(tries = 1000)
	void thePasswordIsNeverInAnErrorOrADescription(@ForAll("passwords") List<String> segments,
			@ForAll("separatorsInPasswords") List<String> separators, @ForAll boolean encoded,
			@ForAll("uriLike") String around, @ForAll("mixes") int mix) {
		StringBuilder password = new StringBuilder(segments.get(0));
		for (int i = 1; i < segments.size(); i++) {
			password.append(separators.get(i % separators.size())).append(segments.get(i));
		}
		String written = encoded ? encode(password.toString()) : password.toString();
		String uri = switch (mix) {
			case 0 -> "amqp://app:" + written + "@rabbit:5672/shop";
			case 1 -> "amqps://app:" + written + "@[::1]/shop?heartbeat=10";
			case 2 -> "amqp://app:" + written + "@a/x;amqp://app:" + written + "@b/x";
			case 3 -> "amqp://app:5672," + written + "@rabbit/shop";
			case 4 -> "amqp://app:" + written + "@" + around;
			default -> around + "app:" + written + "@" + around;
		};
		String shown;
		try {
			shown = AmqpAddress.describe(AmqpAddress.parseAll(uri));
		}
		catch (IllegalArgumentException ex) {
			shown = ex.getMessage();
		}
		// case-insensitively: a scheme is shown lower-cased
		assertThat(shown).as(uri).doesNotContainIgnoringCase(segments.toArray(String[]::new));
	}

	private static void readOrRefuse(String text) {
		try {
			List<AmqpAddress> nodes = AmqpAddress.parseAll(text);
			assertThat(nodes).isNotEmpty().allSatisfy((node) -> {
				assertThat(node.port()).isBetween(1, 65535);
				assertThat(node.host()).isNotEmpty();
				assertThat(node.virtualHost()).isNotEmpty();
			});
		}
		catch (IllegalArgumentException ex) {
			assertThat(ex.getMessage()).contains("amqp_uri");
		}
	}

	/** The URI of a node, its user, password and virtual host percent-encoded. */
	private static String uri(AmqpAddress node) {
		String host = (node.host().indexOf(':') >= 0) ? "[" + node.host() + "]" : node.host();
		boolean defaultPort = node.port() == (node.tls() ? 5671 : 5672);
		String vhost = node.virtualHost().equals("/") ? "" : encode(node.virtualHost());
		return (node.tls() ? "amqps" : "amqp") + "://" + encode(node.username()) + ":" + encode(node.password()) + "@"
				+ host + (defaultPort ? "" : ":" + node.port()) + "/" + vhost;
	}

	private static String encode(String text) {
		StringBuilder encoded = new StringBuilder();
		for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
			char c = (char) (b & 0xff);
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
				encoded.append(c);
			}
			else {
				encoded.append('%').append(String.format("%02X", b & 0xff));
			}
		}
		return encoded.toString();
	}

	@Provide
	Arbitrary<List<AmqpAddress>> clusters() {
		Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(10)
			.filter((t) -> StandardCharsets.UTF_8.newEncoder().canEncode(t));
		Arbitrary<Integer> port = Arbitraries.integers().between(1, 65535);
		Arbitrary<List<String>> hosts = hosts().list().ofMinSize(1).ofMaxSize(3);
		return Combinators.combine(Arbitraries.of(true, false), text, text, text, hosts, port.list().ofSize(3))
			.as((tls, user, password, vhost, names, ports) -> {
				List<AmqpAddress> nodes = new ArrayList<>();
				for (int i = 0; i < names.size(); i++) {
					String host = names.get(i).startsWith("[") ? names.get(i).substring(1, names.get(i).length() - 1)
							: names.get(i);
					nodes.add(new AmqpAddress(tls, host, ports.get(i), user, password, vhost.isEmpty() ? "/" : vhost));
				}
				return nodes;
			});
	}

	@Provide
	Arbitrary<String> hosts() {
		return Arbitraries.oneOf(
				Arbitraries.strings().withCharRange('a', 'z').withChars("0123456789-_.").ofMinLength(1).ofMaxLength(20)
					.filter((h) -> Character.isLetterOrDigit(h.charAt(0))),
				Combinators.combine(Arbitraries.integers().between(0, 255).list().ofSize(4), Arbitraries.just(""))
					.as((bytes, none) -> String.join(".", bytes.stream().map(String::valueOf).toList())),
				Arbitraries.of("[::1]", "[fe80::1]", "[2001:db8::8a2e:370:7334]"));
	}

	@Provide
	Arbitrary<String> schemes() {
		return Arbitraries.of("amqp", "amqps", "pyamqp", "pyamqps", "librabbitmq", "AMQP", "Amqps");
	}

	@Provide
	Arbitrary<String> separators() {
		return Arbitraries.of(";", ",", " ; ", ", ");
	}

	/** What kombu reads as the connection's options, and farine ignores: a query and a fragment. */
	@Provide
	Arbitrary<String> tails() {
		return Arbitraries.of("", "?heartbeat=10", "?ssl=1&x=%20y", "#top", "?a=b#c");
	}

	@Provide
	Arbitrary<List<String>> passwords() {
		Arbitrary<String> segment = Arbitraries.oneOf(
				Arbitraries.strings().withChars(MARKERS).ofMinLength(3).ofMaxLength(6),
				Arbitraries.strings().withChars("987654").ofMinLength(6).ofMaxLength(8));
		return segment.list().ofMinSize(1).ofMaxSize(4);
	}

	@Provide
	Arbitrary<List<String>> separatorsInPasswords() {
		return Arbitraries.of("/", "?", "#", "@", ";", ",", ":", "%", "+", "!", "$", "&", "'", "(", "*", "=", "[", " ",
				"%2F", "%zz", "\u00e9").list().ofMinSize(1).ofMaxSize(3);
	}

	@Provide
	Arbitrary<Integer> mixes() {
		return Arbitraries.integers().between(0, 5);
	}

	@Provide
	Arbitrary<String> uriLike() {
		Arbitrary<String> scheme = Arbitraries.of("amqp", "amqps", "pyamqp", "librabbitmq", "AMQP", "http", "", "amqp:",
				"1amqp", "am qp");
		Arbitrary<String> slashes = Arbitraries.of("://", "://", "://", ":/", ":", "//", ":///", "");
		Arbitrary<String> word = Arbitraries.strings().withChars("abcQ019-_.~%2Fzx:@[]/?#;, +!$&'()*=\u00e9")
			.ofMaxLength(8);
		Arbitrary<String> userInfo = Arbitraries.oneOf(Arbitraries.just(""),
				Combinators.combine(word, Arbitraries.of(":", "", "::"), word, Arbitraries.of("@", "@@", ""))
					.as((u, c, p, at) -> u + c + p + at));
		Arbitrary<String> host = Arbitraries.oneOf(hosts(), word, Arbitraries.of("", "[", "]", "[::1", "[::1]x", "[zz]"));
		Arbitrary<String> port = Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.of(":", ":0", ":-1", ":65536",
				":99999999999", ":+5672", ":5672", ": 1", ":1e3", ":\u0661"), word.map((w) -> ":" + w));
		Arbitrary<String> path = Arbitraries.oneOf(Arbitraries.just(""), word.map((w) -> "/" + w),
				Arbitraries.of("/", "//", "/%2F", "/%", "/%C3", "/%FF%FE"));
		Arbitrary<String> node = Combinators.combine(scheme, slashes, userInfo, host, port, path,
				Arbitraries.of("", "?", "?x=1", "#f"))
			.as((s, sl, u, h, p, pa, q) -> s + sl + u + h + p + pa + q);
		return Arbitraries.frequencyOf(Tuple.of(9, node), Tuple.of(1, Arbitraries.of("", " ", "\t")))
			.list().ofMinSize(1).ofMaxSize(3)
			.map((nodes) -> String.join(";", nodes));
	}

}
