package io.farine.service;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.ReflectionUtils;

/**
 * The one path by which farine calls user handlers: every entry point converts its arguments
 * and invokes its method here, so conversion rules and error mapping are the same everywhere.
 */
public final class HandlerInvoker {

	private final JsonMapper mapper;

	/**
	 * Creates an invoker converting with the given mapper.
	 * @param mapper the JSON mapper
	 */
	public HandlerInvoker(JsonMapper mapper) {
		this.mapper = mapper;
	}

	/**
	 * Resolves a method's parameter types once, for later calls.
	 * @param service the service the method belongs to
	 * @param bean the bean
	 * @param method the method
	 * @return the handler
	 */
	public HandlerMethod handler(String service, Object bean, Method method) {
		ReflectionUtils.makeAccessible(method);
		Type[] types = method.getGenericParameterTypes();
		JavaType[] javaTypes = new JavaType[types.length];
		for (int i = 0; i < types.length; i++) {
			javaTypes[i] = this.mapper.constructType(types[i]);
		}
		return new HandlerMethod(service, bean, method, javaTypes);
	}

	/**
	 * Converts a JSON value to the type of one parameter. A {@code String} parameter takes a JSON
	 * string's text, or the JSON text of any other value.
	 * @param handler the handler
	 * @param index the parameter index
	 * @param value the JSON value
	 * @return the converted argument
	 * @throws ArgumentConversionException if the value does not fit the parameter type
	 */
	public Object convert(HandlerMethod handler, int index, JsonNode value) {
		return convert(value, handler.parameterTypes()[index], "parameter " + (index + 1) + " of " + handler.description());
	}

	/**
	 * Converts a JSON value to a type, with the rules of {@link #convert(HandlerMethod, int, JsonNode)}.
	 * @param value the JSON value
	 * @param type the target type
	 * @param target what receives the value, for the error message
	 * @return the converted value
	 * @throws ArgumentConversionException if the value does not fit the type
	 */
	public Object convert(JsonNode value, JavaType type, String target) {
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
			throw new ArgumentConversionException("Cannot convert " + abbreviate(value) + " to " + type.toCanonical()
					+ " for " + target + ": "
					+ ((ex instanceof JacksonException jackson) ? jackson.getOriginalMessage() : ex.getMessage()), ex);
		}
	}

	/**
	 * Parses a message body as JSON.
	 * @param body the bytes
	 * @return the JSON tree
	 * @throws ArgumentConversionException if the body is not valid JSON
	 */
	public JsonNode parse(byte[] body) {
		try {
			return this.mapper.readTree(body);
		}
		catch (JacksonException ex) {
			throw new ArgumentConversionException("Body is not valid JSON: " + ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * Writes a value as JSON.
	 * @param value the value
	 * @return the JSON bytes
	 */
	public byte[] write(Object value) {
		return this.mapper.writeValueAsBytes(value);
	}

	/**
	 * The mapper used for conversion, for callers that build JSON trees.
	 * @return the mapper
	 */
	public JsonMapper mapper() {
		return this.mapper;
	}

	/**
	 * Calls the handler.
	 * @param handler the handler
	 * @param args the converted arguments
	 * @return what the handler returned
	 * @throws Exception what the handler threw, unwrapped from reflection
	 */
	public Object invoke(HandlerMethod handler, Object... args) throws Exception {
		try {
			return handler.method().invoke(handler.bean(), args);
		}
		catch (InvocationTargetException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof Exception exception) {
				throw exception;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

	private static String abbreviate(JsonNode value) {
		String text = value.toString();
		return (text.length() > 200) ? text.substring(0, 200) + "..." : text;
	}

}
