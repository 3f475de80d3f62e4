package io.farine.autoconfigure;

import java.lang.annotation.Annotation;
import java.util.List;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.farine.amqp.Consume;
import io.farine.cluster.OnEvent;
import io.farine.rpc.RpcMethod;
import io.farine.service.ArgumentResolver;
import io.farine.service.ArgumentResolverFactory;
import io.farine.service.HandlerMethod;
import io.farine.sse.SseListener;

/**
 * Chooses the argument resolver of each discovered endpoint, once, by asking the capability
 * whose annotation it carries (its {@link ArgumentResolverFactory} bean), so that a delivery,
 * request or event only runs it. The capabilities' factories are looked up at the first
 * annotated bean, as the post-processor's other collaborators are.
 */
final class EndpointArguments {

	private final Supplier<List<ArgumentResolverFactory>> factories;

	private volatile @Nullable List<ArgumentResolverFactory> found;

	EndpointArguments(Supplier<List<ArgumentResolverFactory>> factories) {
		this.factories = factories;
	}

	/** A consumer's: the body and the message, with the service's {@code max_message_size}. */
	ArgumentResolver<?> consume(HandlerMethod handler) {
		return resolver(Consume.class, handler, handler.method().getName());
	}

	/** An RPC method's: {@code args} and {@code kwargs} bound with Python's rules. */
	ArgumentResolver<?> rpc(HandlerMethod handler, String name) {
		return resolver(RpcMethod.class, handler, name);
	}

	/** An SSE listener's: the event's data, or the event. */
	ArgumentResolver<?> sse(HandlerMethod handler) {
		return resolver(SseListener.class, handler, handler.method().getName());
	}

	/**
	 * Whether {@code @OnEvent} and {@code @OnQuery} methods are run: not when the cluster's
	 * auto-configuration is off.
	 */
	boolean cluster() {
		return factory(OnEvent.class) != null;
	}

	/** An event or query method's: the payload with the service's {@code cluster_codec}, and the event. */
	ArgumentResolver<?> cluster(HandlerMethod handler) {
		return resolver(OnEvent.class, handler, handler.method().getName());
	}

	private ArgumentResolver<?> resolver(Class<? extends Annotation> annotation, HandlerMethod handler, String name) {
		ArgumentResolverFactory factory = factory(annotation);
		if (factory == null) {
			throw new IllegalStateException("No ArgumentResolverFactory for @" + annotation.getSimpleName() + " method "
					+ handler + ": its capability is not configured");
		}
		return factory.resolver(handler, name);
	}

	private @Nullable ArgumentResolverFactory factory(Class<? extends Annotation> annotation) {
		List<ArgumentResolverFactory> all = this.found;
		if (all == null) {
			all = List.copyOf(this.factories.get());
			this.found = all;
		}
		return all.stream().filter((factory) -> factory.supports(annotation)).findFirst().orElse(null);
	}

}
