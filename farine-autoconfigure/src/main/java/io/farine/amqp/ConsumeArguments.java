package io.farine.amqp;

import java.lang.annotation.Annotation;

import org.jspecify.annotations.Nullable;

import io.farine.service.ArgumentConversionException;
import io.farine.service.ArgumentResolver;
import io.farine.service.ArgumentResolverFactory;
import io.farine.service.HandlerMethod;
import io.farine.config.FarineProperties;
import io.farine.service.JsonCodec;

/**
 * The arguments of a {@code @Consume} method, chosen once from its signature at discovery: the
 * body (raw bytes, or JSON converted to the parameter's type) and the message itself. A body over
 * the service's {@code max_message_size} is bad input. Made by its {@link Factory}, which the
 * post-processor asks at discovery; a delivery only runs it.
 */
final class ConsumeArguments implements ArgumentResolver<Delivery> {

	private final HandlerMethod handler;

	private final int count;

	private final int bodyIndex;

	private final int messageIndex;

	private final boolean raw;

	private final long maxSize;

	private final String target;

	private final JsonCodec codec;

	/**
	 * Chooses the arguments of a consumer.
	 * @param handler the method
	 * @param bodyIndex the index of its body parameter, or -1
	 * @param messageIndex the index of its {@link FarineMessage} parameter, or -1
	 * @param codec reads JSON bodies
	 * @param maxSize the largest body taken, in bytes ({@code max_message_size})
	 */
	ConsumeArguments(HandlerMethod handler, int bodyIndex, int messageIndex, JsonCodec codec, long maxSize) {
		this.handler = handler;
		this.count = handler.method().getParameterCount();
		this.bodyIndex = bodyIndex;
		this.messageIndex = messageIndex;
		this.raw = bodyIndex >= 0 && handler.method().getParameterTypes()[bodyIndex] == byte[].class;
		this.maxSize = maxSize;
		this.target = (bodyIndex >= 0) ? "parameter " + (bodyIndex + 1) + " of " + handler.description() : "";
		this.codec = codec;
	}

	@Override
	public @Nullable Object[] resolve(Delivery delivery) {
		if (delivery.body().length > this.maxSize) {
			throw new ArgumentConversionException("The body of " + delivery.body().length + " bytes is larger than "
					+ "max_message_size (" + this.maxSize + " bytes)", null);
		}
		Object[] args = new Object[this.count];
		if (this.messageIndex >= 0) {
			args[this.messageIndex] = delivery;
		}
		if (this.bodyIndex >= 0) {
			byte[] body = delivery.body();
			args[this.bodyIndex] = this.raw ? body
					: this.codec.read(body, this.handler.parameterTypes()[this.bodyIndex], this.target);
		}
		return args;
	}

	/**
	 * Chooses the arguments of each {@code @Consume} method: its body parameter is the one that is
	 * not a {@link FarineMessage} (discovery allows one of each at most).
	 */
	static final class Factory implements ArgumentResolverFactory {

		private final JsonCodec codec;

		private final FarineProperties properties;

		Factory(JsonCodec codec, FarineProperties properties) {
			this.codec = codec;
			this.properties = properties;
		}

		@Override
		public boolean supports(Class<? extends Annotation> annotation) {
			return annotation == Consume.class;
		}

		@Override
		public ArgumentResolver<?> resolver(HandlerMethod handler, String name) {
			int body = -1;
			int message = -1;
			Class<?>[] types = handler.method().getParameterTypes();
			for (int i = 0; i < types.length; i++) {
				if (types[i] == FarineMessage.class) {
					message = i;
				}
				else {
					body = i;
				}
			}
			long maxSize = this.properties.service(handler.service()).maxMessageSize().toBytes();
			return new ConsumeArguments(handler, body, message, this.codec, maxSize);
		}

	}

}
