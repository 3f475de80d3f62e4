package io.farine.test;

import java.util.Map;

import static java.nio.charset.StandardCharsets.UTF_8;

import tools.jackson.databind.JsonNode;

import io.farine.service.JsonCodec;

/**
 * One message the application published, as {@link PublishedMessages} caught it on the broker:
 * where it went, its headers and its JSON body.
 */
public final class PublishedMessage {

	private final String exchange;

	private final String routingKey;

	private final Map<String, Object> headers;

	private final byte[] body;

	private final JsonCodec codec;

	PublishedMessage(String exchange, String routingKey, Map<String, Object> headers, byte[] body, JsonCodec codec) {
		this.exchange = exchange;
		this.routingKey = routingKey;
		this.headers = Map.copyOf(headers);
		this.body = body.clone();
		this.codec = codec;
	}

	/**
	 * The exchange it was published to.
	 * @return the exchange
	 */
	public String exchange() {
		return this.exchange;
	}

	/**
	 * The routing key it was published with.
	 * @return the routing key
	 */
	public String routingKey() {
		return this.routingKey;
	}

	/**
	 * Its AMQP headers.
	 * @return the headers
	 */
	public Map<String, Object> headers() {
		return this.headers;
	}

	/**
	 * Its body as a JSON tree.
	 * @return the body
	 */
	public JsonNode json() {
		return this.codec.parse(this.body);
	}

	/**
	 * Its body converted to a type, as a {@code @Consume} handler would receive it.
	 * @param <T> the type
	 * @param type the type
	 * @return the body
	 */
	public <T> T as(Class<T> type) {
		return this.codec.mapper().treeToValue(json(), type);
	}

	@Override
	public String toString() {
		return this.exchange + "/" + this.routingKey + " " + JsonCodec.truncate(new String(this.body, UTF_8));
	}

}
