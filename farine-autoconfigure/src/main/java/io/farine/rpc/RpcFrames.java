package io.farine.rpc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.ObjectMapper;

/**
 * The JSON shapes of the protocol (docs/wire-protocol.md), written with exactly the keys the Python
 * original reads and no others: request {@code {"args": [...], "kwargs": {...}}}, reply item
 * {@code {"body": item, "__end__": false}}, end {@code {"__end__": true}}, error
 * {@code {"__except__": text}}. Items are written field by field, so a mapper configured to leave
 * out nulls still sends {@code "body": null}, and each frame's values go through the one generator
 * the mapper made for it (a {@code writeValue} per value would set up serialization anew each time).
 */
final class RpcFrames {

	static final String ARGS = "args";

	static final String KWARGS = "kwargs";

	static final String BODY = "body";

	static final String END = "__end__";

	static final String EXCEPT = "__except__";

	/**
	 * Header a farine caller puts on a plain (not streaming) request: {@value #COMPACT} asks for the
	 * result and the end in one frame, {@code {"body": result, "__end__": true}}. Python callers
	 * never send it, so they always get the item frame and the end frame.
	 */
	static final String REPLY_HEADER = "x-farine-reply";

	static final String COMPACT = "compact";

	/** The {@value #REPLY_HEADER} of a farine caller's stream: items come batched, see {@link BatchedFrames}. */
	static final String BATCH = "batch";

	/**
	 * The {@value #REPLY_HEADER} of a one-way request: the server runs the method and sends
	 * nothing back, as for a request without {@code reply_to}.
	 */
	static final String NONE = "none";

	/**
	 * The {@code reply_to} of a one-way request. A Python farine server reads {@code reply_to} and
	 * {@code correlation_id} of every request and fails without them, so a one-way request carries
	 * both; this routing key, bound to no queue, makes the frames such a server sends anyway go
	 * nowhere.
	 */
	static final String ONE_WAY_REPLY_TO = "farine.one-way";

	/** The key of a batch frame's items. */
	static final String ITEMS = "__items__";

	/** Header naming the Java type of the exception in an error frame, for Java callers. */
	static final String EXCEPTION_TYPE_HEADER = "x-exception-type";

	private static final byte[] END_FRAME = "{\"__end__\":true}".getBytes(StandardCharsets.UTF_8);

	/** The end frame as Python's {@code json.dumps} writes it. */
	private static final byte[] PYTHON_END_FRAME = "{\"__end__\": true}".getBytes(StandardCharsets.UTF_8);

	private RpcFrames() {
	}

	static byte[] request(ObjectMapper mapper, List<?> args, Map<String, ?> kwargs) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(64);
		try (JsonGenerator json = mapper.createGenerator(out)) {
			json.writeStartObject();
			json.writeName(ARGS);
			json.writeStartArray();
			for (Object arg : args) {
				json.writePOJO(arg);
			}
			json.writeEndArray();
			json.writeName(KWARGS);
			json.writeStartObject();
			for (Map.Entry<String, ?> kwarg : kwargs.entrySet()) {
				json.writeName(kwarg.getKey());
				json.writePOJO(kwarg.getValue());
			}
			json.writeEndObject();
			json.writeEndObject();
		}
		return out.toByteArray();
	}

	static byte[] item(ObjectMapper mapper, @Nullable Object item) {
		return item(mapper, item, false);
	}

	/** The only frame of a compact reply: the result and the end together. */
	static byte[] lastItem(ObjectMapper mapper, @Nullable Object item) {
		return item(mapper, item, true);
	}

	private static byte[] item(ObjectMapper mapper, @Nullable Object item, boolean end) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(64);
		try (JsonGenerator json = mapper.createGenerator(out)) {
			json.writeStartObject();
			json.writeName(BODY);
			json.writePOJO(item);
			json.writeName(END);
			json.writeBoolean(end);
			json.writeEndObject();
		}
		return out.toByteArray();
	}

	static byte[] end() {
		return END_FRAME.clone();
	}

	static byte[] error(ObjectMapper mapper, String text) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(64);
		try (JsonGenerator json = mapper.createGenerator(out)) {
			json.writeStartObject();
			json.writeName(EXCEPT);
			json.writeString(text);
			json.writeEndObject();
		}
		return out.toByteArray();
	}

	/**
	 * The error text of a failed call: the exception's type and message, as
	 * {@code Throwable.toString()} writes them, or its whole stack trace.
	 */
	static String errorText(Throwable error, boolean stackTrace) {
		if (!stackTrace) {
			return error.toString();
		}
		java.io.StringWriter trace = new java.io.StringWriter();
		error.printStackTrace(new java.io.PrintWriter(trace));
		return trace.toString();
	}

	/**
	 * Rebuilds the remote error of an error frame. A Java server names the type in a header and
	 * starts the text with {@code type: message}; a Python server sends a traceback whose last
	 * line is {@code Type: message}.
	 */
	static RpcRemoteException remoteError(String service, String method, String text, @Nullable String typeHeader) {
		if (typeHeader != null) {
			String firstLine = text.lines().findFirst().orElse("");
			String message = firstLine.startsWith(typeHeader + ": ") ? firstLine.substring(typeHeader.length() + 2)
					: firstLine.equals(typeHeader) ? "" : firstLine;
			return new RpcRemoteException(service, method, typeHeader, message, text);
		}
		List<String> lines = text.lines().filter((line) -> !line.isBlank()).toList();
		String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
		int colon = last.indexOf(": ");
		String candidate = (colon > 0) ? last.substring(0, colon) : last;
		if (candidate.matches("[A-Za-z_][\\w.]*")) {
			return new RpcRemoteException(service, method, candidate, (colon > 0) ? last.substring(colon + 2) : "",
					text);
		}
		return new RpcRemoteException(service, method, null, text, text);
	}

	/** Whether a body is the end frame as farine or Python writes it, so it need not be parsed. */
	static boolean isEndFrame(byte[] body) {
		return Arrays.equals(body, END_FRAME) || Arrays.equals(body, PYTHON_END_FRAME);
	}

}
