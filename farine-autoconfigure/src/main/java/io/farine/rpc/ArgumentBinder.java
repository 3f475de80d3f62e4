package io.farine.rpc;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.farine.service.ArgumentConversionException;
import io.farine.service.ArgumentResolver;
import io.farine.service.ArgumentResolverFactory;
import io.farine.service.HandlerMethod;
import io.farine.service.JsonCodec;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a request's {@code args} and {@code kwargs} into the arguments of an RPC method, with
 * Python's rules: positional arguments first, then keyword arguments by parameter name; too many
 * arguments, a missing one, an unknown keyword or one given twice is an error, as a Python
 * {@code TypeError} would be. A missing {@code Optional} parameter is empty.
 * <p>
 * A well-formed request is read straight into the parameters' types, without a JSON tree (and a
 * decimal keeps every digit sent); any other is read again as a tree, which names what is wrong.
 * Made once per method by its {@link Factory}, which the post-processor asks at discovery; a
 * request only runs it.
 */
final class ArgumentBinder implements ArgumentResolver<byte[]> {

	private final HandlerMethod handler;

	private final String rpcName;

	private final JsonCodec codec;

	private final String[] names;

	private final boolean namesPresent;

	private final boolean raw;

	/** Reads each parameter from the request, made once; null where {@link JsonCodec#convert} takes it from a tree. */
	private final @Nullable ObjectReader[] readers;

	/**
	 * Chooses how the arguments of an RPC method are read.
	 * @param handler the method
	 * @param rpcName {@code <service>.<method>}, for messages
	 * @param codec reads the request
	 * @throws IllegalStateException if the method takes {@link RpcArguments} beside other parameters
	 */
	ArgumentBinder(HandlerMethod handler, String rpcName, JsonCodec codec) {
		this.handler = handler;
		this.rpcName = rpcName;
		this.codec = codec;
		Method method = handler.method();
		Parameter[] parameters = method.getParameters();
		this.names = new String[parameters.length];
		for (int i = 0; i < parameters.length; i++) {
			this.names[i] = parameters[i].getName();
			if (parameters[i].getType() == RpcArguments.class && parameters.length != 1) {
				throw new IllegalStateException("@RpcMethod " + handler + " takes RpcArguments and other parameters; "
						+ "RpcArguments receives every argument, so it must be the only parameter.");
			}
		}
		this.namesPresent = parameters.length == 0 || parameters[0].isNamePresent();
		this.readers = new ObjectReader[parameters.length];
		for (int i = 0; i < parameters.length; i++) {
			JavaType type = handler.parameterTypes()[i];
			this.readers[i] = JsonCodec.convertsFromTree(type) ? null : codec.valueReader(type);
		}
		this.raw = parameters.length == 1 && parameters[0].getType() == RpcArguments.class;
	}

	@Override
	public Object[] resolve(byte[] body) {
		Object[] values = this.raw ? null : read(body);
		return (values != null) ? values : bind(this.codec.parse(body));
	}

	/**
	 * Reads a request that binds without error in one pass over its JSON; {@code null} for any
	 * other, left to {@link #bind(JsonNode)} to bind or to say what is wrong.
	 */
	private Object @Nullable [] read(byte[] body) {
		int count = this.names.length;
		Object[] values = new Object[count];
		boolean[] given = new boolean[count];
		try (JsonParser json = this.codec.mapper().createParser(body)) {
			if (json.nextToken() != JsonToken.START_OBJECT) {
				return null;
			}
			while (json.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = json.currentName();
				JsonToken value = json.nextToken();
				if (value == JsonToken.VALUE_NULL) {
					continue;
				}
				if (RpcFrames.ARGS.equals(name) && value == JsonToken.START_ARRAY) {
					for (int i = 0; json.nextToken() != JsonToken.END_ARRAY; i++) {
						if (i >= count || given[i]) {
							return null;
						}
						values[i] = read(json, i);
						given[i] = true;
					}
				}
				else if (RpcFrames.KWARGS.equals(name) && value == JsonToken.START_OBJECT) {
					while (json.nextToken() == JsonToken.PROPERTY_NAME) {
						int index = this.namesPresent ? indexOf(json.currentName()) : -1;
						if (index < 0 || given[index]) {
							return null;
						}
						json.nextToken();
						values[index] = read(json, index);
						given[index] = true;
					}
				}
				else if (RpcFrames.ARGS.equals(name) || RpcFrames.KWARGS.equals(name)) {
					return null;
				}
				else {
					json.skipChildren();
				}
			}
			if (json.nextToken() != null) {
				return null;
			}
		}
		catch (JacksonException | IllegalArgumentException | ArgumentConversionException ex) {
			// the tree names what is wrong, as convert does
			return null;
		}
		for (int i = 0; i < count; i++) {
			if (!given[i]) {
				if (!this.handler.parameterTypes()[i].hasRawClass(Optional.class)) {
					return null;
				}
				values[i] = Optional.empty();
			}
		}
		return values;
	}

	/** Reads the value at the parser as parameter {@code index}, through a tree where convert's rules need one. */
	private @Nullable Object read(JsonParser json, int index) {
		ObjectReader reader = this.readers[index];
		if (reader == null || json.currentToken() == JsonToken.VALUE_NULL) {
			return convert(index, json.readValueAsTree());
		}
		return reader.readValue(json);
	}

	Object[] bind(JsonNode request) {
		if (!request.isObject()) {
			throw invalid("the request is not a JSON object with args and kwargs: " + JsonCodec.truncate(request));
		}
		ArrayNode args = array(request.get(RpcFrames.ARGS));
		ObjectNode kwargs = object(request.get(RpcFrames.KWARGS));
		if (this.raw) {
			return new Object[] { new RpcArguments(args, kwargs) };
		}
		int count = this.names.length;
		if (args.size() > count) {
			throw invalid("takes " + count + " argument" + ((count == 1) ? "" : "s") + " but " + args.size()
					+ " were given");
		}
		if (!kwargs.isEmpty() && !this.namesPresent) {
			throw invalid("was called with keyword arguments, but its parameter names were not compiled in; "
					+ "compile with -parameters (Spring Boot's Maven and Gradle plugins do)");
		}
		Object[] values = new Object[count];
		boolean[] given = new boolean[count];
		for (int i = 0; i < args.size(); i++) {
			values[i] = convert(i, args.get(i));
			given[i] = true;
		}
		Set<String> unknown = new HashSet<>();
		for (Iterator<Map.Entry<String, JsonNode>> it = kwargs.properties().iterator(); it.hasNext();) {
			Map.Entry<String, JsonNode> kwarg = it.next();
			int index = indexOf(kwarg.getKey());
			if (index < 0) {
				unknown.add(kwarg.getKey());
				continue;
			}
			if (given[index]) {
				throw invalid("got multiple values for argument '" + kwarg.getKey() + "'");
			}
			values[index] = convert(index, kwarg.getValue());
			given[index] = true;
		}
		if (!unknown.isEmpty()) {
			throw invalid("got unexpected keyword argument(s) " + unknown);
		}
		for (int i = 0; i < count; i++) {
			if (!given[i]) {
				if (this.handler.parameterTypes()[i].hasRawClass(Optional.class)) {
					values[i] = Optional.empty();
				}
				else {
					throw invalid("is missing argument '" + this.names[i] + "' (parameter " + (i + 1) + ")");
				}
			}
		}
		return values;
	}

	private Object convert(int index, JsonNode value) {
		return this.codec.convert(value, this.handler.parameterTypes()[index],
				"parameter " + (index + 1) + " of " + this.handler.description());
	}

	private int indexOf(String name) {
		for (int i = 0; i < this.names.length; i++) {
			if (this.names[i].equals(name)) {
				return i;
			}
		}
		return -1;
	}

	private ArrayNode array(JsonNode node) {
		if (node == null || node.isNull() || node.isMissingNode()) {
			return JsonNodeFactory.instance.arrayNode();
		}
		if (!(node instanceof ArrayNode array)) {
			throw invalid("'args' is not a JSON array: " + JsonCodec.truncate(node));
		}
		return array;
	}

	private ObjectNode object(JsonNode node) {
		if (node == null || node.isNull() || node.isMissingNode()) {
			return JsonNodeFactory.instance.objectNode();
		}
		if (!(node instanceof ObjectNode object)) {
			throw invalid("'kwargs' is not a JSON object: " + JsonCodec.truncate(node));
		}
		return object;
	}

	private ArgumentConversionException invalid(String problem) {
		return new ArgumentConversionException(this.rpcName + " (" + this.handler + ") " + problem, null);
	}

	/** Chooses how the arguments of each {@code @RpcMethod} are read. */
	static final class Factory implements ArgumentResolverFactory {

		private final JsonCodec codec;

		Factory(JsonCodec codec) {
			this.codec = codec;
		}

		@Override
		public boolean supports(Class<? extends Annotation> annotation) {
			return annotation == RpcMethod.class;
		}

		@Override
		public ArgumentResolver<?> resolver(HandlerMethod handler, String name) {
			return new ArgumentBinder(handler, handler.service() + "." + name, this.codec);
		}

	}

}
