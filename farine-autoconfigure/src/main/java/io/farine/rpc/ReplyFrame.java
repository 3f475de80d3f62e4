package io.farine.rpc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.node.ArrayNode;

import io.farine.service.ArgumentConversionException;
import io.farine.service.JsonCodec;

/**
 * One reply frame as its caller reads it (docs/wire-protocol.md): the items it carries, already in
 * the caller's item type, whether it ends the reply, and an error frame's text. A well-formed
 * frame is read in one pass, straight into the type, with no JSON tree, so a {@code BigDecimal}
 * result keeps every digit sent; any other frame is read again as a tree, which names what is
 * wrong in the words {@link JsonCodec#convert} uses.
 *
 * @param items the items in order: one for an item frame or a compact reply, several for a batch
 * @param end whether the reply ends with this frame
 * @param error the text of an error frame
 * @param failure why the frame, or an item of it, could not be read; the items before it are kept
 */
record ReplyFrame(List<@Nullable Object> items, boolean end, @Nullable String error, @Nullable RpcException failure) {

	private static final ReplyFrame END = new ReplyFrame(List.of(), true, null, null);

	/**
	 * Reads a frame.
	 * @param body the frame's bytes
	 * @param type what the caller reads items as
	 * @param codec the JSON codec
	 * @param call the call, for error messages
	 * @return the frame; never throws, a frame that cannot be read carries its {@link #failure()}
	 */
	static ReplyFrame read(byte[] body, JavaType type, JsonCodec codec, RpcTransport.Call call) {
		if (RpcFrames.isEndFrame(body)) {
			return END;
		}
		if (!JsonCodec.convertsFromTree(type)) {
			ReplyFrame frame = readDirectly(body, type, codec, call);
			if (frame != null) {
				return frame;
			}
		}
		return readTree(body, type, codec, call);
	}

	/** Reads the frame without a tree, or returns null for a frame the tree should read: an error, or anything odd. */
	private static @Nullable ReplyFrame readDirectly(byte[] body, JavaType type, JsonCodec codec,
			RpcTransport.Call call) {
		List<@Nullable Object> single = null;
		List<@Nullable Object> batch = null;
		Boolean end = null;
		ObjectReader reader = codec.valueReader(type);
		try (JsonParser json = codec.mapper().createParser(body)) {
			if (json.nextToken() != JsonToken.START_OBJECT) {
				return null;
			}
			while (json.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = json.currentName();
				JsonToken value = json.nextToken();
				if (RpcFrames.BODY.equals(name)) {
					single = Collections.singletonList(readItem(json, reader, type, codec, call));
				}
				else if (RpcFrames.END.equals(name)) {
					if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
						return null;
					}
					end = value == JsonToken.VALUE_TRUE;
				}
				else if (RpcFrames.ITEMS.equals(name) && value == JsonToken.START_ARRAY) {
					batch = new ArrayList<>();
					while (json.nextToken() != JsonToken.END_ARRAY) {
						batch.add(readItem(json, reader, type, codec, call));
					}
				}
				else if (RpcFrames.EXCEPT.equals(name) || RpcFrames.ITEMS.equals(name)) {
					return null;
				}
				else {
					json.skipChildren();
				}
			}
			if (json.nextToken() != null) {
				return null;
			}
		}
		catch (JacksonException | IllegalArgumentException | RpcException ex) {
			// the tree names what is wrong
			return null;
		}
		// the same precedence as the tree's: the end (with a compact reply's item), a batch, an item
		if (Boolean.TRUE.equals(end)) {
			return new ReplyFrame((single != null) ? single : List.of(), true, null, null);
		}
		List<@Nullable Object> items = (batch != null) ? batch : single;
		return (items != null) ? new ReplyFrame(items, false, null, null) : null;
	}

	private static @Nullable Object readItem(JsonParser json, ObjectReader reader, JavaType type, JsonCodec codec,
			RpcTransport.Call call) {
		if (json.currentToken() == JsonToken.VALUE_NULL) {
			// null takes the type's null value, as the tree's conversion gives it
			return convert(codec, json.readValueAsTree(), type, call);
		}
		return reader.readValue(json);
	}

	private static ReplyFrame readTree(byte[] body, JavaType type, JsonCodec codec, RpcTransport.Call call) {
		JsonNode frame;
		try {
			frame = codec.mapper().readTree(body);
		}
		catch (JacksonException ex) {
			return failed(List.of(), new RpcException(call.service(), call.method(),
					"Reply frame of " + call + " is not JSON: " + ex.getOriginalMessage(), ex));
		}
		JsonNode error = frame.get(RpcFrames.EXCEPT);
		if (error != null) {
			return new ReplyFrame(List.of(), true, error.isString() ? error.stringValue() : error.toString(), null);
		}
		JsonNode end = frame.get(RpcFrames.END);
		JsonNode single = frame.get(RpcFrames.BODY);
		List<JsonNode> items;
		if (end != null && end.asBoolean(false)) {
			items = (single != null) ? List.of(single) : List.of();
		}
		else if (frame.get(RpcFrames.ITEMS) instanceof ArrayNode batch) {
			items = new ArrayList<>(batch.size());
			for (JsonNode item : batch) {
				items.add(item);
			}
		}
		else if (single != null) {
			items = List.of(single);
		}
		else {
			return failed(List.of(), new RpcException(call.service(), call.method(), "Reply frame of " + call
					+ " has none of body, __end__ or __except__: " + JsonCodec.truncate(frame), null));
		}
		List<@Nullable Object> values = new ArrayList<>(items.size());
		for (JsonNode item : items) {
			try {
				values.add(convert(codec, item, type, call));
			}
			catch (RpcException ex) {
				return failed(values, ex);
			}
		}
		return new ReplyFrame(values, end != null && end.asBoolean(false), null, null);
	}

	private static ReplyFrame failed(List<@Nullable Object> before, RpcException failure) {
		return new ReplyFrame(before, false, null, failure);
	}

	/**
	 * Converts an item's JSON to the caller's type.
	 * @throws RpcException naming the call, the item and the type when it does not fit
	 */
	static @Nullable Object convert(JsonCodec codec, JsonNode item, JavaType type, RpcTransport.Call call) {
		try {
			return codec.convert(item, type, "the reply of " + call);
		}
		catch (ArgumentConversionException ex) {
			Throwable cause = ex.getCause();
			String reason = (cause instanceof JacksonException jackson) ? jackson.getOriginalMessage()
					: (cause != null) ? cause.getMessage() : ex.getMessage();
			throw new RpcException(call.service(), call.method(), "Cannot convert the reply of " + call + " ("
					+ JsonCodec.truncate(item) + ") to " + type.toCanonical() + ": " + reason, ex);
		}
	}

}
