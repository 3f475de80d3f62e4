package io.farine.cluster;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;

import io.farine.service.JsonCodec;

/**
 * How a service's event payloads and query answers are written and read, chosen per service
 * with {@code cluster_codec}: {@code json} (the default), {@code raw} (bytes, or UTF-8 text, as
 * they are), or the {@link #name()} of a bean of the application's. Every instance of a service
 * must use the same one.
 */
public interface ClusterCodec {

	/**
	 * The name {@code cluster_codec} refers to.
	 * @return the name
	 */
	String name();

	/**
	 * Writes a value.
	 * @param value a payload or an answer
	 * @return the bytes to send
	 */
	byte[] encode(@Nullable Object value);

	/**
	 * Reads bytes into a handler parameter's type.
	 * @param body the bytes received
	 * @param type the parameter's type
	 * @return the value
	 */
	@Nullable Object decode(byte[] body, JavaType type);

	/**
	 * JSON through the application's mapper; a {@code byte[]} goes and comes as is.
	 * @param codec the application's JSON codec
	 * @return the codec named {@code json}
	 */
	static ClusterCodec json(JsonCodec codec) {
		return new ClusterCodec() {

			@Override
			public String name() {
				return "json";
			}

			@Override
			public byte[] encode(@Nullable Object value) {
				return (value instanceof byte[] raw) ? raw : codec.write(value);
			}

			@Override
			public @Nullable Object decode(byte[] body, JavaType type) {
				return type.hasRawClass(byte[].class) ? body : codec.read(body, type, "a cluster payload");
			}

		};
	}

	/**
	 * Bytes as they are; a {@code String} as UTF-8.
	 * @return the codec named {@code raw}
	 */
	static ClusterCodec raw() {
		return new ClusterCodec() {

			@Override
			public String name() {
				return "raw";
			}

			@Override
			public byte[] encode(@Nullable Object value) {
				if (value instanceof byte[] raw) {
					return raw;
				}
				if (value instanceof String text) {
					return text.getBytes(StandardCharsets.UTF_8);
				}
				throw new IllegalArgumentException("The raw cluster codec sends a byte[] or a String, not "
						+ ((value != null) ? value.getClass().getName() : "null"));
			}

			@Override
			public Object decode(byte[] body, JavaType type) {
				if (type.hasRawClass(String.class)) {
					return new String(body, StandardCharsets.UTF_8);
				}
				if (type.hasRawClass(byte[].class) || type.hasRawClass(Object.class)) {
					return body;
				}
				throw new IllegalArgumentException("The raw cluster codec gives a byte[] or a String, not "
						+ type.toCanonical());
			}

		};
	}

}
