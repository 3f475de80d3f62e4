package io.farine.amqp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.util.StringUtils;

/**
 * The headers of a dead-letter copy, kept within what one AMQP frame can carry. The copy keeps the
 * original's headers and adds farine's {@code x-exception-*} and {@code x-original-*}: a message
 * whose headers already came close to {@code frame_max} would make a copy the client cannot send
 * ("Content headers exceeded max frame size"), and a copy that cannot be sent loops back to its
 * queue for ever. So the error text is bounded, and the original headers that do not fit are
 * dropped, largest first, each named with its size in {@code x-exception-message}.
 */
final class DeadLetterHeaders {

	/** The longest error text a copy carries, in characters. */
	static final int MAX_EXCEPTION_MESSAGE = 1000;

	/** The longest note naming the dropped headers, in characters (at most 4 bytes each). */
	static final int MAX_NOTE = 1000;

	private DeadLetterHeaders() {
	}

	/**
	 * The headers of a copy.
	 * @param original the original message's headers
	 * @param added farine's headers, {@link DeadLetterQueue#EXCEPTION_MESSAGE} among them; always kept
	 * @param frameMax the connection's negotiated {@code frame_max}, 0 for no limit
	 * @return the headers, farine's last, with the error text saying which headers were dropped
	 */
	static Map<String, Object> of(Map<String, Object> original, Map<String, Object> added, int frameMax) {
		Map<String, Object> farine = new LinkedHashMap<>(added);
		String message = StringUtils.truncate(String.valueOf(farine.get(DeadLetterQueue.EXCEPTION_MESSAGE)),
				MAX_EXCEPTION_MESSAGE);
		Map<String, Object> kept = new LinkedHashMap<>(original);
		farine.keySet().forEach(kept::remove);
		List<String> dropped = new ArrayList<>();
		// a value the client cannot write goes first, whatever the room
		kept.entrySet().removeIf((header) -> {
			if (AmqpHeaders.size(header.getKey(), header.getValue()) < 0) {
				dropped.add(header.getKey() + " (a value AMQP cannot carry)");
				return true;
			}
			return false;
		});
		if (frameMax > 0) {
			farine.put(DeadLetterQueue.EXCEPTION_MESSAGE, message);
			long room = (long) frameMax - AmqpHeaders.RESERVED - 4L * MAX_NOTE - AmqpHeaders.size(farine);
			List<Map.Entry<String, Object>> largestFirst = new ArrayList<>(kept.entrySet());
			largestFirst.sort(Comparator.comparingLong((Map.Entry<String, Object> header) -> AmqpHeaders.size(header.getKey(),
					header.getValue())).reversed());
			long used = AmqpHeaders.size(kept);
			for (Map.Entry<String, Object> header : largestFirst) {
				if (used <= room) {
					break;
				}
				long size = AmqpHeaders.size(header.getKey(), header.getValue());
				kept.remove(header.getKey());
				used -= size;
				dropped.add(header.getKey() + " (" + size + " bytes)");
			}
		}
		if (!dropped.isEmpty()) {
			message = message + StringUtils.truncate(" [headers dropped from this copy so that it fits in a frame of "
					+ frameMax + " bytes: " + String.join(", ", dropped), MAX_NOTE) + "]";
		}
		farine.put(DeadLetterQueue.EXCEPTION_MESSAGE, message);
		kept.putAll(farine);
		return kept;
	}

}
