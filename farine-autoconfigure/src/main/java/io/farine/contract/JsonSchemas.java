package io.farine.contract;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.jsonFormatVisitors.JsonAnyFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonArrayFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonBooleanFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonFormatVisitable;
import tools.jackson.databind.jsonFormatVisitors.JsonFormatVisitorWrapper;
import tools.jackson.databind.jsonFormatVisitors.JsonIntegerFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonMapFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonNullFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonNumberFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonObjectFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonStringFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonValueFormat;

import org.springframework.context.annotation.Description;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * JSON schemas of Java types, as the application's {@link ObjectMapper} writes them: Jackson has no
 * JSON-schema module for version 3 among Spring Boot's dependencies, but its serializers describe
 * themselves to a format visitor ({@link ObjectMapper#acceptJsonFormatVisitor}), which gives the
 * property names, enum constants, number kinds and date formats the mapper really uses. Records,
 * beans and enums become {@code components/schemas} entries, referenced with {@code $ref}, so a
 * type that contains itself is described once; generics are resolved from the declared type.
 */
final class JsonSchemas {

	private final ObjectMapper mapper;

	private final Map<JavaType, String> names = new HashMap<>();

	private final Map<String, Map<String, Object>> components = new TreeMap<>();

	JsonSchemas(ObjectMapper mapper) {
		this.mapper = mapper;
	}

	/**
	 * The schema of a type: a {@code $ref} for a named type, else inline.
	 * @param type the Java type
	 * @return the schema
	 */
	Map<String, Object> schema(JavaType type) {
		if (type.isReferenceType()) { // Optional<T>, AtomicReference<T>: T, or nothing
			return schema(type.getContentType());
		}
		if (type.hasRawClass(Object.class) || type.isTypeOrSubTypeOf(JsonNode.class)) {
			return new LinkedHashMap<>(); // any JSON value
		}
		if (type.hasRawClass(byte[].class)) {
			return map("type", "string", "contentEncoding", "base64");
		}
		String known = this.names.get(type);
		if (known != null) {
			return ref(known);
		}
		Shape shape = new Shape();
		try {
			this.mapper.acceptJsonFormatVisitor(type, shape);
		}
		catch (JacksonException ex) { // no serializer Jackson could make: the document says so, and goes on
			return map("description", "Not described: " + type.toCanonical() + ": " + ex.getOriginalMessage());
		}
		if (shape.kind.equals("object") || shape.enumValues != null) {
			String name = name(type);
			this.names.put(type, name);
			this.components.put(name, Map.of()); // taken: a property of the same type refers to it
			Map<String, Object> schema = body(type, shape);
			describe(schema, type.getRawClass());
			this.components.put(name, schema);
			return ref(name);
		}
		return body(type, shape);
	}

	/**
	 * The named schemas met so far, for {@code components/schemas}.
	 * @return them, by name
	 */
	Map<String, Map<String, Object>> components() {
		return this.components;
	}

	private Map<String, Object> body(JavaType type, Shape shape) {
		Map<String, Object> schema = new LinkedHashMap<>();
		switch (shape.kind) {
			case "object" -> {
				schema.put("type", "object");
				Map<String, Object> properties = new LinkedHashMap<>();
				List<String> required = new ArrayList<>();
				for (Property property : shape.properties) {
					Map<String, Object> value = schema(property.type());
					if (property.description() != null) {
						value = (value.containsKey("$ref")) ? map("allOf", List.of(value)) : value;
						value.put("description", property.description());
					}
					properties.put(property.name(), value);
					if (property.required()) {
						required.add(property.name());
					}
				}
				schema.put("properties", properties);
				if (!required.isEmpty()) {
					schema.put("required", required);
				}
			}
			case "map" -> {
				schema.put("type", "object");
				schema.put("additionalProperties", schema(type.getContentType()));
			}
			case "array" -> {
				schema.put("type", "array");
				if (type.getContentType() != null) {
					schema.put("items", schema(type.getContentType()));
				}
			}
			case "any" -> {
			}
			default -> {
				schema.put("type", shape.kind);
				if (shape.format != null) {
					schema.put("format", shape.format);
				}
				if (shape.enumValues != null) {
					schema.put("enum", List.copyOf(shape.enumValues));
				}
			}
		}
		return schema;
	}

	private static void describe(Map<String, Object> schema, Class<?> type) {
		JsonClassDescription jackson = type.getAnnotation(JsonClassDescription.class);
		Description spring = AnnotatedElementUtils.findMergedAnnotation(type, Description.class);
		String description = (jackson != null) ? jackson.value() : (spring != null) ? spring.value() : null;
		if (description != null && !description.isBlank()) {
			schema.put("description", description);
		}
	}

	/** {@code Order}, {@code PageOfOrder}; a second type of the same simple name gets {@code Order2}. */
	private String name(JavaType type) {
		StringBuilder name = new StringBuilder(type.getRawClass().getSimpleName());
		for (int i = 0; i < type.getBindings().size(); i++) {
			name.append((i == 0) ? "Of" : "And").append(type.getBindings().getBoundType(i).getRawClass().getSimpleName());
		}
		String base = name.toString().replaceAll("[^A-Za-z0-9._-]", "_");
		String unique = base;
		for (int i = 2; this.components.containsKey(unique); i++) {
			unique = base + i;
		}
		return unique;
	}

	private static Map<String, Object> ref(String name) {
		return map("$ref", "#/components/schemas/" + name);
	}

	static Map<String, Object> map(Object... keysAndValues) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			map.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return map;
	}

	private record Property(String name, JavaType type, boolean required, @Nullable String description) {
	}

	/** What the serializer of one type said it writes; nested types are visited on their own. */
	private static final class Shape extends JsonFormatVisitorWrapper.Base {

		String kind = "any";

		@Nullable String format;

		@Nullable Set<String> enumValues;

		final List<Property> properties = new ArrayList<>();

		@Override
		public JsonObjectFormatVisitor expectObjectFormat(JavaType type) {
			this.kind = "object";
			return new JsonObjectFormatVisitor.Base(getContext()) {
				@Override
				public void property(BeanProperty property) {
					add(property, true);
				}

				@Override
				public void optionalProperty(BeanProperty property) {
					add(property, false);
				}

				@Override
				public void property(String name, JsonFormatVisitable handler, JavaType propertyType) {
					Shape.this.properties.add(new Property(name, propertyType, true, null));
				}

				@Override
				public void optionalProperty(String name, JsonFormatVisitable handler, JavaType propertyType) {
					Shape.this.properties.add(new Property(name, propertyType, false, null));
				}
			};
		}

		private void add(BeanProperty property, boolean required) {
			String description = property.getMetadata().getDescription();
			this.properties.add(new Property(property.getName(), property.getType(),
					required && !property.getType().isReferenceType(),
					(description == null || description.isBlank()) ? null : description));
		}

		@Override
		public @Nullable JsonArrayFormatVisitor expectArrayFormat(JavaType type) {
			this.kind = "array";
			return null;
		}

		@Override
		public JsonMapFormatVisitor expectMapFormat(JavaType type) {
			this.kind = "map";
			return new JsonMapFormatVisitor.Base(getContext());
		}

		@Override
		public JsonStringFormatVisitor expectStringFormat(JavaType type) {
			this.kind = "string";
			return new JsonStringFormatVisitor.Base() {
				@Override
				public void format(JsonValueFormat format) {
					Shape.this.format = format.toString();
				}

				@Override
				public void enumTypes(Set<String> values) {
					Shape.this.enumValues = values;
				}
			};
		}

		@Override
		public JsonIntegerFormatVisitor expectIntegerFormat(JavaType type) {
			this.kind = "integer";
			return new JsonIntegerFormatVisitor.Base() {
				@Override
				public void numberType(JsonParser.NumberType type) {
					Shape.this.format = (type == JsonParser.NumberType.INT) ? "int32"
							: (type == JsonParser.NumberType.LONG) ? "int64" : null;
				}
			};
		}

		@Override
		public JsonNumberFormatVisitor expectNumberFormat(JavaType type) {
			this.kind = "number";
			return new JsonNumberFormatVisitor.Base() {
				@Override
				public void numberType(JsonParser.NumberType type) {
					Shape.this.format = (type == JsonParser.NumberType.FLOAT) ? "float"
							: (type == JsonParser.NumberType.DOUBLE) ? "double" : null;
				}
			};
		}

		@Override
		public @Nullable JsonBooleanFormatVisitor expectBooleanFormat(JavaType type) {
			this.kind = "boolean";
			return null;
		}

		@Override
		public @Nullable JsonNullFormatVisitor expectNullFormat(JavaType type) {
			this.kind = "null";
			return null;
		}

		@Override
		public @Nullable JsonAnyFormatVisitor expectAnyFormat(JavaType type) {
			this.kind = "any";
			return null;
		}

	}

}
