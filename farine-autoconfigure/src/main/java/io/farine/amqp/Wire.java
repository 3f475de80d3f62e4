package io.farine.amqp;

import java.util.concurrent.ThreadLocalRandom;

import com.rabbitmq.client.AMQP;

/**
 * What every farine message carries on the wire, as kombu peers expect it: the JSON content type
 * and encoding, and message and correlation ids in kombu's form.
 */
public final class Wire {

	/** The content type of every farine message. */
	public static final String CONTENT_TYPE = "application/json";

	/** The content encoding of every farine message. */
	public static final String CONTENT_ENCODING = "utf-8";

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private Wire() {
	}

	/**
	 * Properties every farine JSON message starts from: {@code content_type} exactly
	 * {@code application/json} (kombu treats {@code ; charset=...} as text), {@code content_encoding}
	 * {@code utf-8}, and a fresh 32-hex-digit {@code message_id}.
	 * @return a builder to add delivery mode, headers and the like to
	 */
	static AMQP.BasicProperties.Builder jsonProperties() {
		return new AMQP.BasicProperties.Builder().contentType(CONTENT_TYPE)
			.contentEncoding(CONTENT_ENCODING)
			.messageId(newId());
	}

	/**
	 * A new identifier as kombu makes them: a random (version 4) UUID as 32 lower-case hex
	 * digits. Unique, not secret, so it is drawn from {@code ThreadLocalRandom}: no lock on the
	 * publish path.
	 * @return the identifier
	 */
	public static String newId() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long high = (random.nextLong() & ~0xF000L) | 0x4000L;
		long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		char[] hex = new char[32];
		for (int i = 15; i >= 0; i--) {
			hex[i] = HEX[(int) (high & 0xF)];
			hex[i + 16] = HEX[(int) (low & 0xF)];
			high >>>= 4;
			low >>>= 4;
		}
		return new String(hex);
	}

}
