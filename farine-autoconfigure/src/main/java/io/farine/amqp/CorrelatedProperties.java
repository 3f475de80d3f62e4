package io.farine.amqp;

import java.util.HashMap;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import org.jspecify.annotations.Nullable;

/**
 * The properties of a transient JSON message that belongs to a call: an RPC request (with a
 * {@code reply_to}, an expiration and a fresh {@code message_id}, as kombu sends them) or one
 * frame of its reply (the request's {@code correlation_id}, no message id: nothing matches
 * replies by it). Farine's own type for {@link Broker#send}, so that no AMQP client type is part
 * of farine's API; the AMQP form is built once, so a stream reuses it for every frame.
 * <p>
 * Not part of farine's API: public because the RPC and cluster runtimes send with it.
 */
public final class CorrelatedProperties {

	private final AMQP.BasicProperties amqp;

	private CorrelatedProperties(AMQP.BasicProperties amqp) {
		this.amqp = amqp;
	}

	/**
	 * The properties of a request.
	 * @param correlationId ties the replies to the call
	 * @param replyTo the routing key replies are sent with (the caller's reply queue)
	 * @param expiration the AMQP expiration, as the broker reads it
	 * @return the properties
	 */
	public static CorrelatedProperties request(String correlationId, String replyTo, String expiration) {
		return request(correlationId, replyTo, expiration, Map.of());
	}

	/**
	 * The properties of a request with headers, such as a farine extension a Python peer ignores.
	 * @param correlationId ties the replies to the call
	 * @param replyTo the routing key replies are sent with (the caller's reply queue)
	 * @param expiration the AMQP expiration, as the broker reads it
	 * @param headers the AMQP headers
	 * @return the properties
	 */
	public static CorrelatedProperties request(String correlationId, String replyTo, String expiration,
			Map<String, Object> headers) {
		return new CorrelatedProperties(Wire.jsonProperties()
			.deliveryMode(1)
			.correlationId(correlationId)
			.replyTo(replyTo)
			.expiration(expiration)
			.headers(headers.isEmpty() ? null : headers)
			.build());
	}

	/**
	 * The properties of a one-way request: a {@code reply_to} and {@code correlation_id} as any
	 * request has (a Python farine server reads both and fails on a request without them), headers
	 * that tell a farine server not to reply, and no expiration, as no caller waits.
	 * @param correlationId identifies the call in logs and traces
	 * @param replyTo the routing key a server that replies anyway replies with
	 * @param headers the AMQP headers
	 * @return the properties
	 */
	public static CorrelatedProperties oneWay(String correlationId, String replyTo, Map<String, Object> headers) {
		return new CorrelatedProperties(Wire.jsonProperties()
			.deliveryMode(1)
			.correlationId(correlationId)
			.replyTo(replyTo)
			.headers(headers.isEmpty() ? null : headers)
			.build());
	}

	/**
	 * The properties of the frames of a reply.
	 * @param correlationId the request's correlation id, if it had one
	 * @return the properties
	 */
	public static CorrelatedProperties reply(@Nullable String correlationId) {
		return new CorrelatedProperties(new AMQP.BasicProperties.Builder().contentType(Wire.CONTENT_TYPE)
			.contentEncoding(Wire.CONTENT_ENCODING)
			.deliveryMode(1)
			.correlationId(correlationId)
			.build());
	}

	/**
	 * These properties with one more header.
	 * @param name the header
	 * @param value its value
	 * @return new properties
	 */
	public CorrelatedProperties withHeader(String name, Object value) {
		Map<String, Object> headers = new HashMap<>((this.amqp.getHeaders() != null) ? this.amqp.getHeaders() : Map.of());
		headers.put(name, value);
		return new CorrelatedProperties(this.amqp.builder().headers(headers).build());
	}

	AMQP.BasicProperties amqp() {
		return this.amqp;
	}

}
