package io.farine.amqp;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.LongString;
import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * One message of a dead-letter queue as an operator sees it ({@link DeadLetterQueues#peek}): why
 * it is there, where it came from, its other headers and the start of its body. Values and the
 * body are cut at {@value #MAX_TEXT} characters, so that a large message makes a small answer.
 * Not part of farine's API: public because the {@code farine} endpoint in {@code io.farine.actuate}
 * answers with it.
 *
 * @param id its {@code message_id}, which {@link DeadLetterQueues#replay} takes
 * @param exceptionType the Java type of the error that dead-lettered it
 * @param exceptionMessage the error's message
 * @param attempts how many times the handler ran
 * @param originalQueue the queue it was consumed from
 * @param originalExchange the exchange it was published to, where a replay sends it
 * @param originalRoutingKey the routing key it was published with
 * @param deadLetteredAt when it was dead-lettered (its {@code timestamp} for a copy made before farine
 * recorded the time; {@code null} without either)
 * @param headers its other headers
 * @param contentType its {@code content_type}
 * @param bodySize the body's size in bytes
 * @param body the body as UTF-8 text, cut at {@value #MAX_TEXT} characters
 */
public record DeadLetter(@Nullable String id, @Nullable String exceptionType, @Nullable String exceptionMessage,
		@Nullable Integer attempts, @Nullable String originalQueue, @Nullable String originalExchange,
		@Nullable String originalRoutingKey, @Nullable String deadLetteredAt, Map<String, @Nullable Object> headers,
		@Nullable String contentType, int bodySize, String body) {

	/** The longest body or header text shown, in characters. */
	public static final int MAX_TEXT = 1000;

	/** The headers farine adds to a dead-letter copy; a replay leaves them out. */
	static final Set<String> FARINE_HEADERS = Set.of(DeadLetterQueue.EXCEPTION_TYPE, DeadLetterQueue.EXCEPTION_MESSAGE,
			DeadLetterQueue.ORIGINAL_QUEUE, DeadLetterQueue.ORIGINAL_EXCHANGE, DeadLetterQueue.ORIGINAL_ROUTING_KEY,
			DeadLetterQueue.ATTEMPTS, DeadLetterQueue.DEAD_LETTERED_AT);

	static DeadLetter of(GetResponse response) {
		AMQP.BasicProperties properties = response.getProps();
		Map<String, Object> all = (properties.getHeaders() != null) ? properties.getHeaders() : Map.of();
		Map<String, @Nullable Object> others = new LinkedHashMap<>();
		all.forEach((name, value) -> {
			if (!FARINE_HEADERS.contains(name)) {
				others.put(name, shown(value));
			}
		});
		String at = text(all.get(DeadLetterQueue.DEAD_LETTERED_AT));
		if (at == null && properties.getTimestamp() != null) {
			at = properties.getTimestamp().toInstant().toString();
		}
		Object attempts = all.get(DeadLetterQueue.ATTEMPTS);
		byte[] body = response.getBody();
		// no more bytes decoded than the shown text can take (4 per character at most)
		String text = new String(body, 0, Math.min(body.length, 4 * MAX_TEXT + 4), StandardCharsets.UTF_8);
		return new DeadLetter(properties.getMessageId(), text(all.get(DeadLetterQueue.EXCEPTION_TYPE)),
				text(all.get(DeadLetterQueue.EXCEPTION_MESSAGE)),
				(attempts instanceof Number number) ? number.intValue() : null,
				text(all.get(DeadLetterQueue.ORIGINAL_QUEUE)), text(all.get(DeadLetterQueue.ORIGINAL_EXCHANGE)),
				text(all.get(DeadLetterQueue.ORIGINAL_ROUTING_KEY)), at, others, properties.getContentType(),
				body.length, StringUtils.truncate(text, MAX_TEXT));
	}

	static @Nullable String text(@Nullable Object value) {
		return (value != null) ? value.toString() : null;
	}

	/** A header value as JSON can show it: AMQP long strings as text, byte arrays by their size. */
	private static @Nullable Object shown(@Nullable Object value) {
		if (value instanceof LongString || value instanceof String) {
			return StringUtils.truncate(value.toString(), MAX_TEXT);
		}
		if (value instanceof Map<?, ?> table) {
			Map<String, @Nullable Object> shown = new LinkedHashMap<>();
			table.forEach((name, inner) -> shown.put(String.valueOf(name), shown(inner)));
			return shown;
		}
		if (value instanceof List<?> array) {
			List<@Nullable Object> shown = new ArrayList<>();
			array.forEach((inner) -> shown.add(shown(inner)));
			return shown;
		}
		if (value instanceof byte[] bytes) {
			return "(" + bytes.length + " bytes)";
		}
		if (value instanceof Date date) {
			return Instant.ofEpochMilli(date.getTime()).toString();
		}
		return (value == null || value instanceof Number || value instanceof Boolean) ? value : value.toString();
	}

}
