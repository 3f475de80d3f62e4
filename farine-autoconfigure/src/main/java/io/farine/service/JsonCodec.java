package io.farine.service;

import java.lang.reflect.Type;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;

import org.springframework.util.StringUtils;

/**
 * The one JSON codec of farine: message bodies, RPC frames and arguments, SSE event data and
 * registry entries are parsed, written and converted here, with one set of rules and one form of
 * error. Wraps the application's Jackson mapper.
 * <p>
 * Not part of farine's API: public because every capability reads and writes JSON with it.
 */
public final class JsonCodec {

	/** How much of a bad value an error message quotes. */
	private static final int QUOTED = 200;

	/** How many readers of each kind are kept; the types an application reads are few. */
	private static final int READERS = 1024;

	private final ObjectMapper mapper;

	private final Map<JavaType, ObjectReader> documentReaders = new ConcurrentHashMap<>();

	private final Map<JavaType, ObjectReader> valueReaders = new ConcurrentHashMap<>();

	/**
	 * Creates a codec.
	 * @param mapper the application's JSON mapper
	 */
	public JsonCodec(ObjectMapper mapper) {
		this.mapper = mapper;
	}

	/**
	 * The mapper, for code that builds JSON trees or reads registry entries.
	 * @return the mapper
	 */
	public ObjectMapper mapper() {
		return this.mapper;
	}

	/**
	 * The Jackson type of a Java type, resolved once by callers that convert often.
	 * @param type the Java type
	 * @return the Jackson type
	 */
	public JavaType type(Type type) {
		return this.mapper.constructType(type);
	}

	/**
	 * A reader of a type, made once: it finds the type's deserializer when it is made, where
	 * {@code readValue} on the mapper or a parser looks it up again for every value.
	 * @param type the type to read
	 * @return the reader of a whole document of the type: anything after the value is an error
	 */
	public ObjectReader reader(JavaType type) {
		return cached(this.documentReaders, type, false);
	}

	/**
	 * A reader of a value of a type inside a document, made once: reading stops at the value's end,
	 * with the parser on its last token.
	 * @param type the type to read
	 * @return the reader
	 */
	public ObjectReader valueReader(JavaType type) {
		return cached(this.valueReaders, type, true);
	}

	private ObjectReader cached(Map<JavaType, ObjectReader> readers, JavaType type, boolean inside) {
		ObjectReader reader = readers.get(type);
		if (reader == null) {
			reader = this.mapper.readerFor(type);
			if (inside) {
				reader = reader.without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
						DeserializationFeature.UNWRAP_ROOT_VALUE);
			}
			if (readers.size() < READERS) {
				readers.putIfAbsent(type, reader);
			}
		}
		return reader;
	}

	/**
	 * Parses JSON.
	 * @param json the bytes
	 * @return the JSON tree
	 * @throws ArgumentConversionException if the bytes are not valid JSON, or hold no value at all
	 */
	public JsonNode parse(byte[] json) {
		try {
			JsonNode tree = this.mapper.readTree(json);
			if (tree == null || tree.isMissingNode()) {
				throw new ArgumentConversionException("Body is empty: it holds no JSON value", null);
			}
			return tree;
		}
		catch (JacksonException ex) {
			throw new ArgumentConversionException("Body is not valid JSON: " + ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * Reads JSON as a type, as {@link #convert} converts its tree, but straight from the bytes
	 * where the type needs no tree: faster, and a {@code BigDecimal} keeps every digit sent. A
	 * body that does not fit is read again as a tree, so the error is the one convert gives.
	 * @param json the bytes
	 * @param type the target type
	 * @param target what receives the value, for the error message
	 * @return the value
	 * @throws ArgumentConversionException if the bytes are not valid JSON or do not fit the type
	 */
	public @Nullable Object read(byte[] json, JavaType type, String target) {
		if (!convertsFromTree(type)) {
			try {
				Object value = reader(type).readValue(json);
				// null is also what an empty body reads as: the tree tells a JSON null from nothing
				if (value != null) {
					return value;
				}
			}
			catch (JacksonException | IllegalArgumentException ex) {
				// the tree says what is wrong, in convert's words
			}
		}
		return convert(parse(json), type, target);
	}

	/**
	 * Whether {@link #convert} takes a value of this type from its tree: a {@code String} takes
	 * any value's JSON text, a {@code JsonNode} the tree itself.
	 * @param type the target type
	 * @return true for {@code String} and JSON tree types
	 */
	public static boolean convertsFromTree(JavaType type) {
		return type.hasRawClass(String.class) || type.isTypeOrSubTypeOf(JsonNode.class);
	}

	/**
	 * Writes a value as JSON.
	 * @param value the value
	 * @return the JSON bytes
	 */
	public byte[] write(@Nullable Object value) {
		return this.mapper.writeValueAsBytes(value);
	}

	/**
	 * Converts a JSON value to a type. A {@code String} target takes a JSON string's text, or the
	 * JSON text of any other value; a {@code JsonNode} target takes the tree itself.
	 * @param value the JSON value
	 * @param type the target type
	 * @param target what receives the value, for the error message
	 * @return the converted value
	 * @throws ArgumentConversionException if the value does not fit the type
	 */
	public @Nullable Object convert(JsonNode value, JavaType type, String target) {
		if (type.hasRawClass(String.class) && !value.isString()) {
			return value.isNull() ? null : value.toString();
		}
		if (type.hasRawClass(JsonNode.class)) {
			return value;
		}
		try {
			return this.mapper.treeToValue(value, type);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			throw new ArgumentConversionException("Cannot convert " + truncate(value) + " to " + type.toCanonical()
					+ " for " + target + ": "
					+ ((ex instanceof JacksonException jackson) ? jackson.getOriginalMessage() : ex.getMessage()), ex);
		}
	}

	/**
	 * The text of a value, cut short enough to quote in a log line or an error.
	 * @param value a JSON tree or any other value
	 * @return its text, truncated
	 */
	public static String truncate(@Nullable Object value) {
		return StringUtils.truncate(String.valueOf(value), QUOTED);
	}

}
