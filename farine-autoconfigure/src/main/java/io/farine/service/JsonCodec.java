package io.farine.service;

import java.lang.reflect.Type;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.util.StringUtils;

/**
 * The one JSON codec of farine: message bodies, RPC frames and arguments, SSE event data and
 * registry entries are parsed, written and converted here, with one set of rules and one form of
 * error. Wraps the application's Jackson mapper.
 */
public final class JsonCodec {

	/** How much of a bad value an error message quotes. */
	private static final int QUOTED = 200;

	private final ObjectMapper mapper;

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
	 * Parses JSON.
	 * @param json the bytes
	 * @return the JSON tree
	 * @throws ArgumentConversionException if the bytes are not valid JSON
	 */
	public JsonNode parse(byte[] json) {
		try {
			return this.mapper.readTree(json);
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
				return this.mapper.readValue(json, type);
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
