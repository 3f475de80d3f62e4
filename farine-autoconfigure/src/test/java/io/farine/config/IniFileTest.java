package io.farine.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * {@link IniFile} must read a file exactly as Python 3's {@code configparser.RawConfigParser()}
 * does. Every expected result below was produced by running CPython 3.11 on the same text
 * ({@code read_string}, or for the byte-level cases {@code read_file(open(path,
 * encoding='utf-8-sig'))}) and printing {@code dict(p.defaults())} and
 * {@code {s: dict(p.items(s)) for s in p.sections()}}; every error case was confirmed to raise
 * in Python on the same line.
 */
class IniFileTest {

	private static final String NAME = "farine.ini";

	@TempDir
	Path dir;

	// DEFAULT inheritance and order

	@Test
	void defaultOptionsAreInheritedByEverySection() {
		IniFile ini = parse("[DEFAULT]", "host = localhost", "port = 5672", "", "[orders]", "queue = orders", "",
				"[billing]");
		assertThat(ini.defaults()).containsExactly(entry("host", "localhost"), entry("port", "5672"));
		assertThat(ini.sections().keySet()).containsExactly("orders", "billing");
		assertThat(ini.sections().get("orders")).containsExactly(entry("host", "localhost"), entry("port", "5672"),
				entry("queue", "orders"));
		assertThat(ini.sections().get("billing")).containsExactly(entry("host", "localhost"), entry("port", "5672"));
	}

	@Test
	void sectionOptionsOverrideDefaultsButKeepTheDefaultsPosition() {
		IniFile ini = parse("[DEFAULT]", "a = 1", "b = 2", "c = 3", "", "[s]", "d = 4", "b = 20");
		assertThat(ini.defaults()).containsExactly(entry("a", "1"), entry("b", "2"), entry("c", "3"));
		assertThat(ini.sections().get("s")).containsExactly(entry("a", "1"), entry("b", "20"), entry("c", "3"),
				entry("d", "4"));
	}

	@Test
	void defaultSectionWrittenAfterASectionIsStillInherited() {
		IniFile ini = parse("[s]", "x = 1", "", "[DEFAULT]", "y = 2");
		assertThat(ini.defaults()).containsExactly(entry("y", "2"));
		assertThat(ini.sections()).containsOnlyKeys("s");
		assertThat(ini.sections().get("s")).containsExactly(entry("y", "2"), entry("x", "1"));
	}

	@Test
	void repeatedDefaultHeaderAddsToTheDefaults() {
		IniFile ini = parse("[DEFAULT]", "a = 1", "[s]", "x = 1", "[DEFAULT]", "b = 2");
		assertThat(ini.defaults()).containsExactly(entry("a", "1"), entry("b", "2"));
		assertThat(ini.sections()).containsOnlyKeys("s");
		assertThat(ini.sections().get("s")).containsExactly(entry("a", "1"), entry("b", "2"), entry("x", "1"));
	}

	// names

	@Test
	void optionNamesAreLowerCased() {
		IniFile ini = parse("[DEFAULT]", "AMQP_URI = amqp://h", "[Svc]", "MaxRetries = 3", "mixed_Case = Value Kept");
		assertThat(ini.defaults()).containsExactly(entry("amqp_uri", "amqp://h"));
		assertThat(ini.sections().get("Svc")).containsExactly(entry("amqp_uri", "amqp://h"), entry("maxretries", "3"),
				entry("mixed_case", "Value Kept"));
	}

	@Test
	void sectionNamesAreCaseSensitiveAndOnlyUpperCaseDefaultIsSpecial() {
		IniFile ini = parse("[svc]", "a = 1", "[Svc]", "a = 2", "[default]", "a = 3");
		assertThat(ini.defaults()).isEmpty();
		assertThat(ini.sections().keySet()).containsExactly("svc", "Svc", "default");
		assertThat(ini.sections().get("svc")).containsExactly(entry("a", "1"));
		assertThat(ini.sections().get("Svc")).containsExactly(entry("a", "2"));
		assertThat(ini.sections().get("default")).containsExactly(entry("a", "3"));
	}

	// delimiters

	@Test
	void equalsAndColonBothDelimit() {
		IniFile ini = parse("[s]", "a = 1", "b: 2", "c=3", "d:4");
		assertThat(ini.sections().get("s")).containsExactly(entry("a", "1"), entry("b", "2"), entry("c", "3"),
				entry("d", "4"));
	}

	@Test
	void firstDelimiterWinsAndTheRestBelongsToTheValue() {
		IniFile ini = parse("[s]", "url = http://x:1/a=b", "ratio: a=b:c", "double==x", "mixed : a=b");
		assertThat(ini.sections().get("s")).containsExactly(entry("url", "http://x:1/a=b"), entry("ratio", "a=b:c"),
				entry("double", "=x"), entry("mixed", "a=b"));
	}

	@Test
	void spacesAroundDelimitersAreStrippedButInnerSpacesKept() {
		IniFile ini = parse("[s]", "  indented = yes", "name   =   two  words   ", "other\t:\tthree");
		assertThat(ini.sections().get("s")).containsExactly(entry("indented", "yes"), entry("name", "two  words"),
				entry("other", "three"));
	}

	@Test
	void emptyValueAfterTheDelimiterIsAnEmptyString() {
		IniFile ini = parse("[s]", "key =", "other:", "spaced =   ");
		assertThat(ini.sections().get("s")).containsExactly(entry("key", ""), entry("other", ""), entry("spaced", ""));
	}

	// comments

	@Test
	void fullLineCommentsAreIgnoredEvenWhenIndented() {
		IniFile ini = parse("# before any section", "; also before", "[s]", "# hash", "; semicolon",
				"    # indented hash", "\t; tab-indented semicolon", "a = 1");
		assertThat(ini.defaults()).isEmpty();
		assertThat(ini.sections()).containsOnlyKeys("s");
		assertThat(ini.sections().get("s")).containsExactly(entry("a", "1"));
	}

	@Test
	void inlineCommentCharactersArePartOfTheValue() {
		IniFile ini = parse("[s]", "a = 1 # not a comment", "b = 2 ; nor this", "c = #x", "d=;y",
				"url = http://h/#frag");
		assertThat(ini.sections().get("s")).containsExactly(entry("a", "1 # not a comment"),
				entry("b", "2 ; nor this"), entry("c", "#x"), entry("d", ";y"), entry("url", "http://h/#frag"));
	}

	@Test
	void textWithOnlyCommentsAndBlankLinesGivesNothing() {
		IniFile ini = parse("# comment", "", "; another");
		assertThat(ini.defaults()).isEmpty();
		assertThat(ini.sections()).isEmpty();
	}

	// continuation lines

	@Test
	void continuationLinesJoinWithNewlines() {
		IniFile ini = parse("[s]", "hosts = one", "    two", "\tthree", "next = 2");
		assertThat(ini.sections().get("s")).containsExactly(entry("hosts", "one\ntwo\nthree"), entry("next", "2"));
	}

	@Test
	void blankLinesInsideAValueAreKeptButTrailingOnesDropped() {
		IniFile ini = parse("[s]", "a = one", "", "   two", "", "", "[t]", "b = x", "", "  ");
		assertThat(ini.sections().keySet()).containsExactly("s", "t");
		assertThat(ini.sections().get("s")).containsExactly(entry("a", "one\n\ntwo"));
		assertThat(ini.sections().get("t")).containsExactly(entry("b", "x"));
	}

	@Test
	void commentLinesInsideAContinuationAreSkipped() {
		IniFile ini = parse("[s]", "a = one", "  # indented comment", "; comment", "  two");
		assertThat(ini.sections().get("s")).containsExactly(entry("a", "one\ntwo"));
	}

	@Test
	void indentedLinesAfterAValueContinueItEvenIfTheyLookLikeOptionsOrHeaders() {
		IniFile ini = parse("[s]", "a = 1", "  b = 2", "  [t]");
		assertThat(ini.sections()).containsOnlyKeys("s");
		assertThat(ini.sections().get("s")).containsExactly(entry("a", "1\nb = 2\n[t]"));
	}

	@Test
	void optionsIndentedAlikeAreSeparateOptions() {
		IniFile ini = parse("[s]", "  a = 1", "  b = 2", "    more", " c = 3");
		assertThat(ini.sections().get("s")).containsExactly(entry("a", "1"), entry("b", "2\nmore"), entry("c", "3"));
	}

	@Test
	void valueStartingOnTheNextLineKeepsALeadingNewline() {
		IniFile ini = parse("[s]", "key =", "  line1", "  line2");
		assertThat(ini.sections().get("s")).containsExactly(entry("key", "\nline1\nline2"));
	}

	// section headers

	@Test
	void sectionHeaderEndsAtTheLastClosingBracketAndIgnoresTextAfterIt() {
		IniFile ini = parse("[a] x", "k = 1", "[b]]", "m = 2", "[ c ] ; note", "n = 3");
		assertThat(ini.sections().keySet()).containsExactly("a", "b]", " c ");
		assertThat(ini.sections().get("a")).containsExactly(entry("k", "1"));
		assertThat(ini.sections().get("b]")).containsExactly(entry("m", "2"));
		assertThat(ini.sections().get(" c ")).containsExactly(entry("n", "3"));
	}

	// encoding and line endings (Python: read_file(open(path, encoding='utf-8-sig')), which
	// uses universal newlines; read_string would not split on a lone CR)

	@Test
	void byteOrderMarkIsSkipped() throws IOException {
		IniFile ini = IniFile.parse(write(bytes(0xEF, 0xBB, 0xBF), "[s]\na = 1\n"));
		assertThat(ini.sections()).containsOnlyKeys("s");
		assertThat(ini.sections().get("s")).containsExactly(entry("a", "1"));
	}

	@Test
	void crlfLineEndingsAreAccepted() throws IOException {
		IniFile ini = IniFile.parse(write(new byte[0], "[DEFAULT]\r\nx = y\r\n[s]\r\na = 1\r\n  more\r\n\r\nb = 2\r\n"));
		assertThat(ini.defaults()).containsExactly(entry("x", "y"));
		assertThat(ini.sections().get("s")).containsExactly(entry("x", "y"), entry("a", "1\nmore"), entry("b", "2"));
	}

	@Test
	void loneCarriageReturnsEndLines() throws IOException {
		IniFile ini = IniFile.parse(write(new byte[0], "[s]\ra = 1\r  more\r\rb = 2\r"));
		assertThat(ini.sections().get("s")).containsExactly(entry("a", "1\nmore"), entry("b", "2"));
	}

	@Test
	void fileThatIsNotUtf8IsAnIoException() throws IOException {
		Path file = this.dir.resolve("latin1.ini");
		Files.write(file, concat("[s]\na = caf".getBytes(StandardCharsets.US_ASCII),
				bytes(0xE9, '\n')));
		assertThatThrownBy(() -> IniFile.parse(file)).isInstanceOf(IOException.class);
	}

	// Unicode whitespace and line separators: Python's str.strip(), \s and \S are Unicode-aware
	// and its '.' matches everything but '\n'

	@Test
	void noBreakSpacesAroundNameAndValueAreStrippedLikeOtherWhitespace() {
		IniFile ini = parse("[s]", "key\u00A0= value\u00A0");
		assertThat(ini.sections().get("s")).containsExactly(entry("key", "value"));
	}

	@Test
	void lineIndentedWithUnicodeSpacesContinuesTheValue() {
		IniFile ini = parse("[s]", "a = 1", "\u00A0\u00A0two", "\u3000three");
		assertThat(ini.sections().get("s")).containsExactly(entry("a", "1\ntwo\nthree"));
	}

	@Test
	void unicodeLineSeparatorsInsideAValueAreKept() {
		IniFile ini = parse("[s]", "a = x\u2028y", "b = x\u0085y");
		assertThat(ini.sections().get("s")).containsExactly(entry("a", "x\u2028y"), entry("b", "x\u0085y"));
	}

	// errors

	@Test
	void optionBeforeAnySectionHeaderIsAnError() {
		assertSyntaxError(3, "# comment", "", "key = value", "[s]");
	}

	@Test
	void lineThatIsNeitherOptionNorContinuationIsAnError() {
		assertSyntaxError(3, "[s]", "a = 1", "justaword", "b = 2");
	}

	@Test
	void optionWithAnEmptyNameIsAnError() {
		assertSyntaxError(3, "[s]", "a = 1", "= value");
		assertSyntaxError(2, "[s]", "  : value");
	}

	@Test
	void duplicateSectionIsAnError() {
		assertSyntaxError(5, "[a]", "x = 1", "[b]", "y = 2", "[a]");
	}

	@Test
	void duplicateOptionIsAnError() {
		assertSyntaxError(4, "[s]", "a = 1", "b = 2", "a = 3");
	}

	@Test
	void duplicateOptionDifferingOnlyByCaseIsAnError() {
		assertSyntaxError(3, "[s]", "Name = 1", "NAME: 2");
	}

	@Test
	void duplicateDefaultOptionAcrossRepeatedDefaultHeadersIsAnError() {
		assertSyntaxError(6, "[DEFAULT]", "a = 1", "[s]", "b = 2", "[DEFAULT]", "A = 3");
	}

	@Test
	void errorInAFileNamesThePathAndCountsLinesAfterBomAndCrlf() throws IOException {
		Path file = write(bytes(0xEF, 0xBB, 0xBF), "[s]\r\na = 1\r\n\r\njustaword\r\n");
		assertSyntaxError(file, 4);
	}

	@Test
	void errorInAFileCountsLinesEndedByLoneCarriageReturns() throws IOException {
		Path file = write(new byte[0], "[s]\ra = 1\r\rjustaword\r");
		assertSyntaxError(file, 4);
	}

	// helpers

	private static IniFile parse(String... lines) {
		return IniFile.parse(NAME, ini(lines));
	}

	private static String ini(String... lines) {
		return String.join("\n", lines) + "\n";
	}

	// found while writing IniFilePropertyTests

	@Test
	void aLongRunOfSpacesIsReadInLinearTime() {
		String spaces = " ".repeat(200_000);
		assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
			assertSyntaxError(2, "[s]", "x" + spaces + "y");
			assertThat(parse("[s]", "x" + spaces + "y = 1").sections().get("s")).containsEntry("x" + spaces + "y", "1");
			assertThat(parse("[s]", "x =" + spaces + "1" + spaces).sections().get("s")).containsEntry("x", "1");
		});
	}

	private static void assertSyntaxError(int line, String... lines) {
		Throwable thrown = catchThrowable(() -> IniFile.parse(NAME, ini(lines)));
		assertLocated(thrown, NAME, line);
	}

	private static void assertSyntaxError(Path file, int line) {
		Throwable thrown = catchThrowable(() -> IniFile.parse(file));
		assertLocated(thrown, file.toString(), line);
	}

	private static void assertLocated(Throwable thrown, String fileName, int line) {
		assertThat(thrown).isInstanceOf(IniSyntaxException.class);
		IniSyntaxException ex = (IniSyntaxException) thrown;
		assertThat(ex.getLine()).isEqualTo(line);
		assertThat(ex.getFile()).isEqualTo(fileName);
		assertThat(ex.getMessage()).contains(fileName);
		assertThat(ex.getMessage().replace(fileName, "")).containsPattern("\\b" + line + "\\b");
	}

	private Path write(byte[] prefix, String text) throws IOException {
		Path file = this.dir.resolve("test.ini");
		Files.write(file, concat(prefix, text.getBytes(StandardCharsets.UTF_8)));
		return file;
	}

	private static byte[] bytes(int... values) {
		byte[] bytes = new byte[values.length];
		for (int i = 0; i < values.length; i++) {
			bytes[i] = (byte) values[i];
		}
		return bytes;
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] all = new byte[first.length + second.length];
		System.arraycopy(first, 0, all, 0, first.length);
		System.arraycopy(second, 0, all, first.length, second.length);
		return all;
	}

}
