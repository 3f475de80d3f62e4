package io.farine.config;

/**
 * The exchange types a farine service may declare, as the Python original names them in its
 * {@code type} option.
 */
public enum ExchangeType {

	/** Routes on exact routing-key match. */
	DIRECT,

	/** Routes on routing-key patterns ({@code *} and {@code #}). */
	TOPIC,

	/** Routes every message to every bound queue. */
	FANOUT,

	/**
	 * A fanout exchange where every running instance gets its own exclusive queue, so each
	 * instance sees every message (kombu's {@code Broadcast}).
	 */
	BROADCAST

}
