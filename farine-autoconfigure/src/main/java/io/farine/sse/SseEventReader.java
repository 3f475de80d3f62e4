package io.farine.sse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

import org.springframework.core.ResolvableType;
import org.springframework.core.codec.StringDecoder;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.codec.ServerSentEvent;

/**
 * Reads a {@code text/event-stream} body into events as the HTML standard's event-stream
 * interpretation does. Spring's reader ends the stream on a {@code retry:} that is not a number
 * (a {@code NumberFormatException}), so that one bad line from a server would lose every event
 * after it, on every reconnection that replays it; here such a field is ignored, as the standard
 * says.
 * <p>
 * Lines end with CRLF, LF or CR; a leading byte-order mark is skipped; a field's value loses one
 * leading space; {@code data} lines join with LF; an {@code id} holding NUL and a {@code retry}
 * that is not all ASCII digits (or too large for a {@code long}) are ignored; unknown fields are
 * ignored; a blank line ends an event. An event with no {@code data} line is still given, with
 * {@code null} data, when it set an id, a name, a retry or a comment, so that the reader of the
 * stream keeps the last event id and retry as the standard does. What the body ends with before
 * a blank line is not an event.
 */
final class SseEventReader {

	private static final ResolvableType STRING = ResolvableType.forClass(String.class);

	private final StringDecoder lines;

	private final int maxEventSize;

	/**
	 * Creates a reader.
	 * @param maxEventSize the most characters one event's lines may hold
	 */
	SseEventReader(int maxEventSize) {
		// LF alone, kept: a CR before it, or anywhere else in the line, is found below
		this.lines = StringDecoder.textPlainOnly(List.of("\n"), false);
		this.lines.setMaxInMemorySize(maxEventSize);
		this.maxEventSize = maxEventSize;
	}

	/**
	 * Reads events.
	 * @param body the body's bytes, UTF-8
	 * @return the events, in order; fails with a {@link DataBufferLimitException} when an event
	 * (or a line) is larger than the limit, and with nothing else the body holds
	 */
	Flux<ServerSentEvent<String>> read(Flux<DataBuffer> body) {
		return Flux.defer(() -> {
			Parser parser = new Parser();
			return this.lines.decode(body, STRING, null, Map.of()).concatMapIterable(parser::chunk);
		});
	}

	/** The state of one body: the event being read. */
	private final class Parser {

		private boolean first = true;

		private @Nullable StringBuilder data;

		private @Nullable String name;

		private @Nullable String id;

		private @Nullable Duration retry;

		private @Nullable StringBuilder comment;

		private boolean fields;

		private long size;

		/** Takes what the decoder gives: lines ended by LF, or the last, unended part of the body. */
		List<ServerSentEvent<String>> chunk(String text) {
			if (this.first) {
				this.first = false;
				text = text.startsWith("\uFEFF") ? text.substring(1) : text;
			}
			boolean ended = text.endsWith("\n");
			if (ended) {
				text = text.substring(0, text.length() - ((text.endsWith("\r\n")) ? 2 : 1));
			}
			List<ServerSentEvent<String>> events = new ArrayList<>(1);
			String[] lines = text.split("\r", -1);
			// the last piece of an unended part is no line: the body stopped in it
			int count = ended ? lines.length : lines.length - 1;
			for (int i = 0; i < count; i++) {
				ServerSentEvent<String> event = line(lines[i]);
				if (event != null) {
					events.add(event);
				}
			}
			return events;
		}

		private @Nullable ServerSentEvent<String> line(String line) {
			if (line.isEmpty()) {
				return dispatch();
			}
			this.size += line.length() + 1;
			if (this.size > SseEventReader.this.maxEventSize) {
				throw new DataBufferLimitException("An SSE event holds more than " + SseEventReader.this.maxEventSize
						+ " characters (max_message_size)");
			}
			int colon = line.indexOf(':');
			String field = (colon < 0) ? line : line.substring(0, colon);
			String value = (colon < 0) ? "" : line.substring((line.startsWith(" ", colon + 1)) ? colon + 2 : colon + 1);
			switch (field) {
				case "" -> this.comment = append(this.comment, value);
				case "data" -> this.data = append(this.data, value);
				case "event" -> this.name = value;
				case "id" -> this.id = (value.indexOf('\u0000') < 0) ? value : this.id;
				case "retry" -> this.retry = millis(value, this.retry);
				default -> {
					return null;
				}
			}
			this.fields = true;
			return null;
		}

		private @Nullable ServerSentEvent<String> dispatch() {
			ServerSentEvent<String> event = null;
			if (this.fields) {
				ServerSentEvent.Builder<String> builder = ServerSentEvent.builder();
				if (this.data != null) {
					builder.data(this.data.toString());
				}
				if (this.name != null) {
					builder.event(this.name);
				}
				if (this.id != null) {
					builder.id(this.id);
				}
				if (this.retry != null) {
					builder.retry(this.retry);
				}
				if (this.comment != null) {
					builder.comment(this.comment.toString());
				}
				event = builder.build();
			}
			this.data = null;
			this.name = null;
			this.id = null;
			this.retry = null;
			this.comment = null;
			this.fields = false;
			this.size = 0;
			return event;
		}

		private static StringBuilder append(@Nullable StringBuilder lines, String value) {
			return (lines != null) ? lines.append('\n').append(value) : new StringBuilder(value);
		}

		private static @Nullable Duration millis(String value, @Nullable Duration current) {
			if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch((c) -> c >= '0' && c <= '9')) {
				return current;
			}
			return Duration.ofMillis(Long.parseLong(value));
		}

	}

}
