package io.farine.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A farine INI file, read exactly as Python's {@code configparser.RawConfigParser()} reads it, so
 * a file written for a Python farine service means the same to a Java one.
 * <p>
 * {@code [DEFAULT]} options are inherited by every section, option names are lower-cased,
 * section names are case-sensitive, {@code =} and {@code :} both delimit, {@code #} and
 * {@code ;} start full-line comments only, indented lines continue the previous value, and a
 * duplicate section or option is an error. There is no {@code %(name)s} interpolation.
 */
final class IniFile {

	/** The section whose options every other section inherits. */
	public static final String DEFAULT_SECTION = "DEFAULT";

	// Python's re is Unicode-aware and its '.' matches every character but '\n' (lines are split already).
	private static final int PYTHON_RE = Pattern.UNICODE_CHARACTER_CLASS | Pattern.DOTALL;

	private static final Pattern SECTION = Pattern.compile("\\[(?<header>.+)\\]", PYTHON_RE);

	/**
	 * A delimiter. CPython matches {@code (?P<option>.*?)\s*(?P<vi>[=:])\s*(?P<value>.*)$}, which
	 * splits the line at its first delimiter and strips both sides; here the first delimiter is
	 * found alone, as that pattern takes time quadratic in a run of spaces with no delimiter after it
	 * (40,000 spaces took 7 s).
	 */
	private static final Pattern DELIMITER = Pattern.compile("[=:]");

	private static final Pattern NON_SPACE = Pattern.compile("\\S", PYTHON_RE);

	private final Map<String, String> defaults;

	private final Map<String, Map<String, String>> ownOptions;

	private final Map<String, Map<String, String>> sections;

	/** The line each option starts on, by section ({@code DEFAULT} too) and option name. */
	private final Map<String, Integer> lines;

	private IniFile(Map<String, String> defaults, Map<String, Map<String, String>> ownOptions,
			Map<String, Integer> lines) {
		this.lines = Map.copyOf(lines);
		this.defaults = Collections.unmodifiableMap(defaults);
		Map<String, Map<String, String>> own = new LinkedHashMap<>();
		Map<String, Map<String, String>> items = new LinkedHashMap<>();
		ownOptions.forEach((name, options) -> {
			own.put(name, Collections.unmodifiableMap(options));
			Map<String, String> inherited = new LinkedHashMap<>(defaults);
			inherited.putAll(options);
			items.put(name, Collections.unmodifiableMap(inherited));
		});
		this.ownOptions = Collections.unmodifiableMap(own);
		this.sections = Collections.unmodifiableMap(items);
	}

	/**
	 * The {@code [DEFAULT]} options, in file order.
	 * @return an unmodifiable map of option name to value
	 */
	public Map<String, String> defaults() {
		return this.defaults;
	}

	/**
	 * Every section but {@code [DEFAULT]}, in file order, each holding the inherited defaults
	 * plus its own options, in the order Python's {@code items(section)} returns them.
	 * @return an unmodifiable map of section name to options
	 */
	public Map<String, Map<String, String>> sections() {
		return this.sections;
	}

	/**
	 * Reads and parses a file (UTF-8, with or without a byte-order mark).
	 * @param file the file to read
	 * @return the parsed file
	 * @throws IniSyntaxException if a line is not valid INI, naming the file and the line
	 * @throws IOException if the file cannot be read or is not UTF-8
	 */
	public static IniFile parse(Path file) throws IOException {
		byte[] bytes = Files.readAllBytes(file);
		String text;
		try {
			text = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(java.nio.ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new IOException(file + " is not valid UTF-8", ex);
		}
		return parse(file.toString(), text);
	}

	/**
	 * Parses INI text.
	 * @param fileName the name used in error messages
	 * @param text the content
	 * @return the parsed file
	 * @throws IniSyntaxException if a line is not valid INI
	 */
	public static IniFile parse(String fileName, String text) {
		return new Reader(fileName).read(text);
	}

	/**
	 * The line an option of a section (or of {@code [DEFAULT]}) starts on, for messages.
	 * @param section the section
	 * @param option the option name
	 * @return the 1-based line, or 0 if the section has no such option of its own
	 */
	int line(String section, String option) {
		return this.lines.getOrDefault(section + "\u0000" + option, 0);
	}

	/**
	 * The options written in a section itself, without the inherited defaults.
	 * @param section a section name
	 * @return its own options, empty if there is no such section
	 */
	Map<String, String> ownOptions(String section) {
		return this.ownOptions.getOrDefault(section, Map.of());
	}

	/**
	 * One pass over the lines, the same state machine as CPython's {@code RawConfigParser._read}.
	 */
	private static final class Reader {

		private final String fileName;

		private final Map<String, List<String>> defaults = new LinkedHashMap<>();

		private final Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();

		/** Section and option name (NUL-separated) to the line the option starts on. */
		private final Map<String, Integer> added = new HashMap<>();

		private Map<String, List<String>> current;

		private String sectionName;

		private String optionName;

		private int indentLevel;

		Reader(String fileName) {
			this.fileName = fileName;
		}

		IniFile read(String text) {
			if (text.startsWith("\uFEFF")) {
				text = text.substring(1);
			}
			String[] lines = text.split("\r\n|\r|\n", -1);
			for (int i = 0; i < lines.length; i++) {
				readLine(lines[i], i + 1);
			}
			Map<String, Map<String, String>> own = new LinkedHashMap<>();
			this.sections.forEach((name, options) -> own.put(name, join(options)));
			return new IniFile(join(this.defaults), own, this.added);
		}

		private void readLine(String line, int number) {
			String stripped = strip(line, true);
			boolean comment = stripped.startsWith("#") || stripped.startsWith(";");
			String value = comment ? "" : stripped;
			if (value.isEmpty()) {
				if (!comment && this.current != null && this.optionName != null) {
					this.current.get(this.optionName).add("");
				}
				return;
			}
			Matcher firstNonSpace = NON_SPACE.matcher(line);
			int indent = firstNonSpace.find() ? firstNonSpace.start() : 0;
			if (this.current != null && this.optionName != null && indent > this.indentLevel) {
				this.current.get(this.optionName).add(value);
				return;
			}
			this.indentLevel = indent;
			Matcher section = SECTION.matcher(value);
			if (section.lookingAt()) {
				startSection(section.group("header"), number);
				return;
			}
			if (this.current == null) {
				throw new IniSyntaxException(this.fileName, number, "File contains no section headers; found '"
						+ stripped + "' before any [section]");
			}
			Matcher delimiter = DELIMITER.matcher(value);
			// the line is stripped, so a name is empty only when the line starts with the delimiter
			if (!delimiter.find() || delimiter.start() == 0) {
				throw new IniSyntaxException(this.fileName, number, "'" + stripped
						+ "' is neither a [section], an option (name = value) nor an indented continuation line");
			}
			String name = strip(value.substring(0, delimiter.start()), false).toLowerCase(Locale.ROOT);
			if (this.added.putIfAbsent(this.sectionName + "\u0000" + name, number) != null) {
				throw new IniSyntaxException(this.fileName, number,
						"option '" + name + "' in section [" + this.sectionName + "] already exists");
			}
			List<String> values = new ArrayList<>();
			values.add(strip(value.substring(delimiter.end()), true));
			this.current.put(name, values);
			this.optionName = name;
		}

		private void startSection(String name, int number) {
			if (DEFAULT_SECTION.equals(name)) {
				this.current = this.defaults;
			}
			else if (this.sections.containsKey(name)) {
				throw new IniSyntaxException(this.fileName, number, "section [" + name + "] already exists");
			}
			else {
				this.current = new LinkedHashMap<>();
				this.sections.put(name, this.current);
			}
			this.sectionName = name;
			this.optionName = null;
		}

		/** Python's {@code str.strip()} / {@code rstrip()}: removes what {@code str.isspace()} is true for. */
		private static String strip(String text, boolean leading) {
			int begin = 0;
			int end = text.length();
			while (leading && begin < end && isPythonSpace(text.charAt(begin))) {
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

		private static Map<String, String> join(Map<String, List<String>> options) {
			Map<String, String> joined = new LinkedHashMap<>();
			options.forEach((name, lines) -> joined.put(name, strip(String.join("\n", lines), false)));
			return joined;
		}

	}

}
