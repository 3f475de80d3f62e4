package io.farine.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a {@code farine.ini} holds, {@link IniFile} reads it or throws an
 * {@link IniSyntaxException} naming a line of the file (an {@link IOException} for a file that
 * cannot be read or is not UTF-8), never anything else; and a file written from sections of
 * options reads back as those sections.
 */
class IniFilePropertyTests {

	private Path dir;

	@BeforeProperty
	void createDirectory() throws IOException {
		this.dir = Files.createTempDirectory("ini-properties");
	}

	@AfterProperty
	void deleteDirectory() throws IOException {
		try (var files = Files.list(this.dir)) {
			for (Path file : files.toList()) {
				Files.delete(file);
			}
		}
		Files.delete(this.dir);
	}

	@Property(tries = 1000)
	void anyTextIsReadOrALineIsNamed(@ForAll String text) {
		parseOrNameALine(text);
	}

	@Property(tries = 1000)
	void iniLikeTextIsReadOrALineIsNamed(@ForAll("iniLike") String text) {
		parseOrNameALine(text);
	}

	@Property(tries = 1000)
	void anyFileIsReadOrALineIsNamedOrItIsNotUtf8(@ForAll byte[] content) throws IOException {
		Path file = Files.write(this.dir.resolve("farine.ini"), content);
		try {
			IniFile.parse(file);
		}
		catch (IniSyntaxException ex) {
			assertThat(ex.getFile()).isEqualTo(file.toString());
			assertThat(ex.getLine()).isPositive();
		}
		catch (IOException ex) {
			assertThat(ex.getMessage()).isEqualTo(file + " is not valid UTF-8");
		}
	}

	@Property(tries = 1000)
	void sectionsWrittenOutReadBackAsWritten(@ForAll("options") Map<String, List<String>> defaults,
			@ForAll("sections") Map<String, Map<String, List<String>>> sections, @ForAll("layouts") Layout layout) {
		StringBuilder text = new StringBuilder(layout.bom() ? "\uFEFF" : "");
		layout.write(text, IniFile.DEFAULT_SECTION, defaults);
		sections.forEach((name, options) -> layout.write(text, name, options));

		IniFile ini = IniFile.parse("farine.ini", text.toString());

		assertThat(ini.defaults()).containsExactlyEntriesOf(values(defaults));
		assertThat(ini.sections().keySet()).containsExactlyElementsOf(sections.keySet());
		sections.forEach((name, options) -> {
			Map<String, String> expected = new LinkedHashMap<>(values(defaults));
			expected.putAll(values(options));
			assertThat(ini.sections().get(name)).containsExactlyEntriesOf(expected);
		});
	}

	private static void parseOrNameALine(String text) {
		try {
			IniFile.parse("farine.ini", text);
		}
		catch (IniSyntaxException ex) {
			int lines = text.split("\r\n|\r|\n", -1).length;
			assertThat(ex.getLine()).isBetween(1, lines);
			assertThat(ex.getMessage()).startsWith("farine.ini:" + ex.getLine() + ": ");
		}
	}

	/** A value's lines, joined as the reader joins a value and its continuation lines. */
	private static Map<String, String> values(Map<String, List<String>> options) {
		Map<String, String> values = new LinkedHashMap<>();
		options.forEach((name, lines) -> values.put(name, String.join("\n", lines)));
		return values;
	}

	@Provide
	Arbitrary<String> iniLike() {
		Arbitrary<String> word = Arbitraries.strings().withChars("abcXYZ_.-09 \t\u00a0\u3000=:[]#;\\\"'%$")
			.ofMaxLength(8);
		Arbitrary<String> indent = Arbitraries.of("", "", "", " ", "\t", "    ", "\u00a0", "\u2003", "\u000b");
		Arbitrary<String> line = Arbitraries.oneOf(
				Combinators.combine(indent, word).as((i, w) -> i + "[" + w + "]"),
				Combinators.combine(indent, word, word).as((i, w, v) -> i + "[" + w + "]" + v),
				Combinators.combine(indent, word, Arbitraries.of("=", ":", " = ", ": ", "==", "=:"), word)
					.as((i, k, d, v) -> i + k + d + v),
				Combinators.combine(indent, Arbitraries.of("#", ";", "[", "]", "[]", "[DEFAULT]", "=", ":"), word)
					.as((i, c, w) -> i + c + w),
				indent,
				word);
		Arbitrary<String> end = Arbitraries.of("\n", "\n", "\n", "\r\n", "\r", "\u2028", "\u0085");
		return Combinators.combine(line, end).as(String::concat).list().ofMaxSize(30)
			.map((lines) -> String.join("", lines));
	}

	@Provide
	Arbitrary<Map<String, List<String>>> options() {
		Arbitrary<String> name = Arbitraries.strings().withCharRange('a', 'z').withChars("0123456789_.- ")
			.ofMinLength(1).ofMaxLength(10)
			.map(String::strip)
			.filter((n) -> !n.isEmpty() && Character.isLetter(n.charAt(0)))
			.map((n) -> n.toLowerCase(Locale.ROOT));
		Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(12)
			.filter((t) -> t.indexOf('\n') < 0 && t.indexOf('\r') < 0)
			.map(IniFilePropertyTests::stripPython);
		Arbitrary<String> firstLine = text;
		Arbitrary<String> nextLine = text.filter((t) -> !t.isEmpty() && !t.startsWith("#") && !t.startsWith(";"));
		Arbitrary<List<String>> value = Combinators.combine(firstLine, nextLine.list().ofMaxSize(3))
			.as((first, next) -> {
				List<String> lines = new ArrayList<>();
				lines.add(first);
				lines.addAll(next);
				return lines;
			});
		return Arbitraries.maps(name, value).ofMaxSize(5).map(LinkedHashMap::new);
	}

	@Provide
	Arbitrary<Map<String, Map<String, List<String>>>> sections() {
		Arbitrary<String> name = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(12)
			.filter((n) -> n.indexOf('\n') < 0 && n.indexOf('\r') < 0 && !n.equals(IniFile.DEFAULT_SECTION));
		return Arbitraries.maps(name, options()).ofMaxSize(4).map(LinkedHashMap::new);
	}

	@Provide
	Arbitrary<Layout> layouts() {
		return Combinators.combine(Arbitraries.of("=", ":", " = ", " : ", "\t=\t", "= "),
				Arbitraries.of(" ", "\t", "  ", "\u00a0"), Arbitraries.of("\n", "\r\n", "\r"),
				Arbitraries.of("", "# a comment", "; a comment", "   # indented comment"), Arbitraries.of(true, false))
			.as(Layout::new);
	}

	/** Python's {@code str.strip()}, as the reader strips each line. */
	private static String stripPython(String text) {
		int begin = 0;
		int end = text.length();
		while (begin < end && isPythonSpace(text.charAt(begin))) {
			begin++;
		}
		while (end > begin && isPythonSpace(text.charAt(end - 1))) {
			end--;
		}
		return text.substring(begin, end);
	}

	private static boolean isPythonSpace(char c) {
		return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
	}

	/**
	 * How a file is written: the delimiter and the spaces around it, the indent of continuation
	 * lines, the line ending, a line put between options (blank or a comment), a byte-order mark.
	 */
	record Layout(String delimiter, String indent, String lineEnd, String between, boolean bom) {

		void write(StringBuilder text, String section, Map<String, List<String>> options) {
			text.append('[').append(section).append(']').append(this.lineEnd);
			options.forEach((name, lines) -> {
				text.append(name).append(this.delimiter).append(lines.get(0)).append(this.lineEnd);
				for (String line : lines.subList(1, lines.size())) {
					text.append(this.indent).append(line).append(this.lineEnd);
				}
				text.append(this.between).append(this.lineEnd);
			});
		}

	}

}
