package io.farine.amqp;

import java.io.UnsupportedEncodingException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.LongString;
import com.rabbitmq.client.impl.Frame;
import org.jspecify.annotations.Nullable;

/**
 * What AMQP headers can carry, and how much room they take in a frame. The RabbitMQ client finds a
 * header value it cannot encode, or headers larger than {@code frame_max}, only while writing a
 * message, after it has counted the message for publisher confirms: the channel's confirms then
 * no longer match its messages. So farine checks values where the user sets them and sizes
 * before the client writes.
 */
final class AmqpHeaders {

	/**
	 * What a content header takes besides its table: class, weight, body size and flags (14
	 * bytes), the other properties (short strings of at most 256 bytes each) and the frame itself
	 * (8 bytes). Generous, so that headers within {@code frame_max - RESERVED} always fit.
	 */
	static final int RESERVED = 4096;

	private AmqpHeaders() {
	}

	/**
	 * Checks that a header can be sent.
	 * @param name the header name
	 * @param value the value: a String, number (Integer, Long, Short, Byte, Double, Float,
	 * BigDecimal), Boolean, Date, byte[], or a List, array or Map of those
	 * @throws IllegalArgumentException naming the header and the type AMQP cannot carry
	 */
	static void check(String name, @Nullable Object value) {
		if (name.getBytes(StandardCharsets.UTF_8).length > 255) {
			throw new IllegalArgumentException("Header name '" + name.substring(0, 40) + "...' is longer than AMQP's "
					+ "255 bytes");
		}
		String unsupported = unsupported(value);
		if (unsupported != null) {
			throw new IllegalArgumentException("Header '" + name + "' has a value of type " + unsupported
					+ ", which AMQP cannot carry; use a String, Integer, Long, Short, Byte, Double, Float, BigDecimal, "
					+ "Boolean, Date, byte[], or a List, array or Map of those");
		}
	}

	private static @Nullable String unsupported(@Nullable Object value) {
		if (value == null || value instanceof String || value instanceof LongString || value instanceof Integer
				|| value instanceof Long || value instanceof Short || value instanceof Byte || value instanceof Double
				|| value instanceof Float || value instanceof BigDecimal || value instanceof Boolean
				|| value instanceof Date || value instanceof byte[]) {
			return null;
		}
		if (value instanceof Map<?, ?> map) {
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				if (!(entry.getKey() instanceof String)) {
					return "Map with a key of " + typeOf(entry.getKey());
				}
				String nested = unsupported(entry.getValue());
				if (nested != null) {
					return nested + " (in a Map)";
				}
			}
			return null;
		}
		Iterable<?> items = (value instanceof List<?> list) ? list
				: (value instanceof Object[] array) ? java.util.Arrays.asList(array) : null;
		if (items == null) {
			return typeOf(value);
		}
		for (Object item : items) {
			String nested = unsupported(item);
			if (nested != null) {
				return nested + " (in a list)";
			}
		}
		return null;
	}

	private static String typeOf(@Nullable Object value) {
		return (value != null) ? value.getClass().getName() : "null";
	}

	/**
	 * Checks that headers fit in a frame, before the client counts the message for confirms.
	 * @param headers the headers, or {@code null}
	 * @param frameMax the connection's {@code frame_max}, 0 for no limit
	 * @throws IllegalArgumentException if they do not fit, or hold a value AMQP cannot carry
	 */
	static void checkFit(@Nullable Map<String, Object> headers, int frameMax) {
		if (headers == null || headers.isEmpty() || frameMax <= 0) {
			return;
		}
		long size;
		try {
			size = Frame.tableSize(headers);
		}
		catch (UnsupportedEncodingException ex) {
			throw new IllegalStateException(ex);
		}
		if (size > frameMax - RESERVED) {
			throw new IllegalArgumentException("The message's headers take " + size + " bytes; a frame of " + frameMax
					+ " bytes (the broker's frame_max) leaves room for " + (frameMax - RESERVED));
		}
	}

	/** The encoded size of one table entry, or -1 when the client cannot write its value. */
	static long size(String name, @Nullable Object value) {
		try {
			return Frame.tableSize(Collections.singletonMap(name, value));
		}
		catch (IllegalArgumentException | UnsupportedEncodingException ex) {
			return -1;
		}
	}

	/** The encoded size of the entries of a table the client can write. */
	static long size(Map<String, Object> headers) {
		long total = 0;
		for (Map.Entry<String, Object> header : headers.entrySet()) {
			total += Math.max(0, size(header.getKey(), header.getValue()));
		}
		return total;
	}

}
