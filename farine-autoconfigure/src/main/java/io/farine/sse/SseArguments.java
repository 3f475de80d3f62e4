package io.farine.sse;

import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;

import io.farine.service.ArgumentResolver;
import io.farine.service.ArgumentResolverFactory;
import io.farine.service.HandlerMethod;
import io.farine.service.JsonCodec;

import org.springframework.http.codec.ServerSentEvent;

/**
 * The argument of an {@code @SseListener} method, chosen once from its parameter at discovery:
 * the event's data (text as is, JSON converted to the parameter's type), or the whole
 * {@link ServerSentEvent} with its data converted. Made by its {@link Factory}, which the
 * post-processor asks at discovery; an event only runs it.
 */
final class SseArguments implements ArgumentResolver<ServerSentEvent<String>> {

	private final HandlerMethod handler;

	private final @Nullable JavaType type;

	private final JsonCodec codec;

	/**
	 * Chooses the argument of a listener.
	 * @param handler the method; one that does not take exactly one parameter is refused by its endpoint
	 * @param codec reads JSON data
	 */
	SseArguments(HandlerMethod handler, JsonCodec codec) {
		this.handler = handler;
		this.type = (handler.parameterTypes().length == 1) ? handler.parameterTypes()[0] : null;
		this.codec = codec;
	}

	@Override
	public @Nullable Object[] resolve(ServerSentEvent<String> event) {
		return new Object[] { argument(event) };
	}

	private @Nullable Object argument(ServerSentEvent<String> event) {
		String data = (event.data() != null) ? event.data() : "";
		JavaType type = this.type;
		if (type == null) {
			throw new IllegalStateException(this.handler + " takes no single parameter");
		}
		if (type.hasRawClass(ServerSentEvent.class)) {
			ServerSentEvent.Builder<Object> builder = ServerSentEvent.builder(convert(data, type.containedTypeOrUnknown(0)));
			if (event.id() != null) {
				builder.id(event.id());
			}
			if (event.event() != null) {
				builder.event(event.event());
			}
			if (event.retry() != null) {
				builder.retry(event.retry());
			}
			if (event.comment() != null) {
				builder.comment(event.comment());
			}
			return builder.build();
		}
		return convert(data, type);
	}

	private @Nullable Object convert(String data, JavaType type) {
		if (type.hasRawClass(String.class) || type.hasRawClass(Object.class) && !data.startsWith("{")
				&& !data.startsWith("[")) {
			return data;
		}
		return this.codec.read(data.getBytes(StandardCharsets.UTF_8), type, "the event data of " + this.handler);
	}

	/** Chooses the argument of each {@code @SseListener} method. */
	static final class Factory implements ArgumentResolverFactory {

		private final JsonCodec codec;

		Factory(JsonCodec codec) {
			this.codec = codec;
		}

		@Override
		public boolean supports(Class<? extends Annotation> annotation) {
			return annotation == SseListener.class;
		}

		@Override
		public ArgumentResolver<?> resolver(HandlerMethod handler, String name) {
			return new SseArguments(handler, this.codec);
		}

	}

}
