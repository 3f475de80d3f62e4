package io.farine.cluster;

import java.lang.annotation.Annotation;
import java.util.function.Supplier;

import io.farine.service.ArgumentResolver;
import io.farine.service.ArgumentResolverFactory;
import io.farine.service.HandlerMethod;

/**
 * The arguments of an {@link OnEvent} or {@link OnQuery} method, chosen once from its signature
 * at discovery: the payload, read with its service's {@link ClusterCodec} into the first
 * parameter that is not a {@link ClusterEvent}, and the event. Made by its {@link Factory},
 * which the post-processor asks at discovery; an event or a query only runs it.
 */
final class ClusterArguments implements ArgumentResolver<ClusterArguments.Received> {

	private final HandlerMethod handler;

	private final boolean[] events;

	private final ClusterCodec codec;

	/**
	 * Chooses the arguments of an event or query method.
	 * @param handler the method
	 * @param codec its service's codec
	 * @throws IllegalStateException if the method takes more than the payload and a {@link ClusterEvent}
	 */
	ClusterArguments(HandlerMethod handler, ClusterCodec codec) {
		Class<?>[] types = handler.method().getParameterTypes();
		if (types.length > 2) {
			throw new IllegalStateException(handler + " takes " + types.length + " parameters; an @OnEvent or @OnQuery "
					+ "method takes the payload, and optionally a ClusterEvent");
		}
		this.events = new boolean[types.length];
		for (int i = 0; i < types.length; i++) {
			this.events[i] = types[i] == ClusterEvent.class;
		}
		this.handler = handler;
		this.codec = codec;
	}

	/**
	 * The cluster arguments an endpoint was given at discovery.
	 * @param arguments an event's or query's arguments
	 * @return them
	 * @throws IllegalStateException if the endpoint was given another kind
	 */
	static ClusterArguments of(ArgumentResolver<?> arguments) {
		if (arguments instanceof ClusterArguments cluster) {
			return cluster;
		}
		throw new IllegalStateException("An @OnEvent or @OnQuery method has the arguments of another kind of "
				+ "endpoint: " + arguments.getClass().getName());
	}

	@Override
	public Object[] resolve(Received received) {
		Object[] args = new Object[this.events.length];
		for (int i = 0; i < args.length; i++) {
			args[i] = this.events[i] ? new ClusterEvent(received.name(), received.sender())
					: this.codec.decode(received.body(), this.handler.parameterTypes()[i]);
		}
		return args;
	}

	/** An event or query as it arrived. */
	record Received(String name, String sender, byte[] body) {
	}

	/**
	 * Chooses the arguments of each {@link OnEvent} and {@link OnQuery} method, with its service's
	 * codec; the codecs (the application's {@link ClusterCodec} beans) are looked up at the first one.
	 */
	static final class Factory implements ArgumentResolverFactory {

		private final Supplier<ClusterCodecs> codecs;

		Factory(Supplier<ClusterCodecs> codecs) {
			this.codecs = codecs;
		}

		@Override
		public boolean supports(Class<? extends Annotation> annotation) {
			return annotation == OnEvent.class || annotation == OnQuery.class;
		}

		@Override
		public ArgumentResolver<?> resolver(HandlerMethod handler, String name) {
			return new ClusterArguments(handler, this.codecs.get().of(handler.service()));
		}

	}

}
