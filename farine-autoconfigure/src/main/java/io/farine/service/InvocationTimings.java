package io.farine.service;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Where the time of one handler invocation went, asked for by a body with
 * {@code "__debug__": true} (the Python original's profile): argument conversion, the handler,
 * the transaction's commit, and the reply. Made only for such a body, in a service with
 * {@code debug = true}; marks are taken by the one thread that runs the invocation.
 * <p>
 * Not part of farine's API: public because the amqp and rpc packages time invocations with it.
 */
public final class InvocationTimings {

	/** The key of a body that asks for its timings. */
	public static final String FLAG = "__debug__";

	private static final byte[] MARK = FLAG.getBytes(StandardCharsets.UTF_8);

	private final long start = System.nanoTime();

	private long converted;

	private long handled;

	private long committed;

	private long replied;

	/**
	 * The timings of an invocation, if its body asks for them.
	 * @param body the message or request body
	 * @param codec parses it
	 * @return new timings, or {@code null} when the body is not a JSON object with {@code "__debug__": true}
	 */
	public static @Nullable InvocationTimings askedFor(byte[] body, JsonCodec codec) {
		if (!contains(body, MARK)) {
			return null;
		}
		try {
			JsonNode flag = codec.parse(body).get(FLAG);
			return (flag != null && flag.isBoolean() && flag.booleanValue()) ? new InvocationTimings() : null;
		}
		catch (ArgumentConversionException ex) {
			return null;
		}
	}

	/**
	 * The timings of an invocation, if its body asks for them as the Python original's consumer
	 * reads it: a JSON object whose {@code "__debug__"} is true in Python's sense (anything but
	 * false, null, 0, "", [] and {}).
	 * @param body the message body
	 * @param codec parses it
	 * @return new timings, or {@code null} when the body does not ask
	 */
	public static @Nullable InvocationTimings askedForAsPython(byte[] body, JsonCodec codec) {
		if (!contains(body, MARK)) {
			return null;
		}
		try {
			JsonNode flag = codec.parse(body).get(FLAG);
			return (flag != null && truthy(flag)) ? new InvocationTimings() : null;
		}
		catch (ArgumentConversionException ex) {
			return null;
		}
	}

	private static boolean truthy(JsonNode value) {
		if (value.isBoolean()) {
			return value.booleanValue();
		}
		if (value.isNumber()) {
			return value.doubleValue() != 0;
		}
		if (value.isString()) {
			return !value.stringValue().isEmpty();
		}
		return value.isContainer() && !value.isEmpty();
	}

	private static boolean contains(byte[] body, byte[] mark) {
		outer: for (int i = 0; i <= body.length - mark.length; i++) {
			for (int j = 0; j < mark.length; j++) {
				if (body[i + j] != mark[j]) {
					continue outer;
				}
			}
			return true;
		}
		return false;
	}

	void argumentsConverted() {
		this.converted = System.nanoTime();
	}

	void handlerReturned() {
		this.handled = System.nanoTime();
	}

	void committed() {
		this.committed = System.nanoTime();
	}

	/** The reply (RPC) or acknowledgement (consume) was sent: the invocation is over. */
	public void replied() {
		this.replied = System.nanoTime();
	}

	/**
	 * The breakdown in milliseconds, each phase from the end of the one before; a phase not
	 * reached (the handler threw) is absent.
	 * @return {@code arguments}, {@code handler}, {@code transaction}, {@code reply} and {@code total}
	 */
	public Map<String, Double> millis() {
		Map<String, Double> millis = new LinkedHashMap<>();
		long previous = this.start;
		previous = put(millis, "arguments", previous, this.converted);
		previous = put(millis, "handler", previous, this.handled);
		previous = put(millis, "transaction", previous, this.committed);
		put(millis, "reply", previous, this.replied);
		long end = (this.replied != 0) ? this.replied : System.nanoTime();
		millis.put("total", (end - this.start) / 1e6);
		return millis;
	}

	private static long put(Map<String, Double> millis, String phase, long previous, long mark) {
		if (mark == 0) {
			return previous;
		}
		millis.put(phase, (mark - previous) / 1e6);
		return mark;
	}

}
