package io.farine.amqp;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

import com.rabbitmq.client.AMQP;

/**
 * What every farine message carries on the wire, as kombu peers expect it: the JSON content type
 * and encoding, and message and correlation ids in kombu's form.
 * <p>
 * Not part of farine's API: public because the rpc and cluster packages make their ids with it.
 */
public final class Wire {

	/** The content type of every farine message. */
	public static final String CONTENT_TYPE = "application/json";

	/** The content encoding of every farine message. */
	public static final String CONTENT_ENCODING = "utf-8";

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private static final ThreadLocal<Source> RANDOM = ThreadLocal.withInitial(Source::new);

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
	 * digits. Message ids are the inbox's de-duplication key and correlation ids route RPC replies,
	 * so they must not be guessable from ids seen before: they come from a {@link SecureRandom}
	 * (the JDK's DRBG), one per thread so that publishing threads never wait on each other, drawn
	 * 4 KB at a time (about 50 ns an id, where one draw per id costs 400 ns).
	 * @return the identifier
	 */
	public static String newId() {
		byte[] bytes = RANDOM.get().next();
		char[] hex = new char[32];
		for (int i = 0; i < 16; i++) {
			int value = bytes[i];
			if (i == 6) {
				value = (value & 0x0F) | 0x40;
			}
			else if (i == 8) {
				value = (value & 0x3F) | 0x80;
			}
			hex[2 * i] = HEX[(value >> 4) & 0xF];
			hex[2 * i + 1] = HEX[value & 0xF];
		}
		return new String(hex);
	}

	/** A thread's generator and the random bytes it drew ahead. */
	private static final class Source {

		private final SecureRandom random;

		private final byte[] block = new byte[4096];

		private final byte[] id = new byte[16];

		private int position = this.block.length;

		Source() {
			SecureRandom drbg;
			try {
				drbg = SecureRandom.getInstance("DRBG");
			}
			catch (NoSuchAlgorithmException ex) {
				drbg = new SecureRandom();
			}
			this.random = drbg;
		}

		byte[] next() {
			if (this.position == this.block.length) {
				this.random.nextBytes(this.block);
				this.position = 0;
			}
			System.arraycopy(this.block, this.position, this.id, 0, 16);
			this.position += 16;
			return this.id;
		}

	}

}
