package io.farine.autoconfigure;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.farine.amqp.ConsumeArguments;
import io.farine.cluster.ClusterArguments;
import io.farine.cluster.ClusterCodecs;
import io.farine.config.FarineProperties;
import io.farine.rpc.ArgumentBinder;
import io.farine.service.ArgumentResolver;
import io.farine.service.HandlerMethod;
import io.farine.service.JsonCodec;
import io.farine.sse.SseArguments;

/**
 * Chooses the argument resolver of each discovered endpoint, once, from its method's signature
 * and its service's settings, so that a delivery, request or event only runs it. Its
 * collaborators are looked up at the first annotated bean, as the post-processor's are.
 */
final class EndpointArguments {

	private final Supplier<JsonCodec> codec;

	private final Supplier<FarineProperties> properties;

	private final Supplier<@Nullable ClusterCodecs> clusterCodecs;

	EndpointArguments(Supplier<JsonCodec> codec, Supplier<FarineProperties> properties,
			Supplier<@Nullable ClusterCodecs> clusterCodecs) {
		this.codec = codec;
		this.properties = properties;
		this.clusterCodecs = clusterCodecs;
	}

	/** A consumer's: the body and the message, with the service's {@code max_message_size}. */
	ArgumentResolver<?> consume(HandlerMethod handler, int bodyIndex, int messageIndex) {
		long maxSize = this.properties.get().service(handler.service()).maxMessageSize().toBytes();
		return new ConsumeArguments(handler, bodyIndex, messageIndex, this.codec.get(), maxSize);
	}

	/** An RPC method's: {@code args} and {@code kwargs} bound with Python's rules. */
	ArgumentResolver<?> rpc(HandlerMethod handler, String name) {
		return new ArgumentBinder(handler, handler.service() + "." + name, this.codec.get());
	}

	/** An SSE listener's: the event's data, or the event. */
	ArgumentResolver<?> sse(HandlerMethod handler) {
		return new SseArguments(handler, this.codec.get());
	}

	/**
	 * Whether {@code @OnEvent} and {@code @OnQuery} methods are run: not when the cluster's
	 * auto-configuration is off.
	 */
	boolean cluster() {
		return this.clusterCodecs.get() != null;
	}

	/** An event or query method's: the payload with the service's {@code cluster_codec}, and the event. */
	ArgumentResolver<?> cluster(HandlerMethod handler) {
		ClusterCodecs codecs = this.clusterCodecs.get();
		if (codecs == null) {
			throw new IllegalStateException("No ClusterCodecs for " + handler + ": the cluster is not configured");
		}
		return new ClusterArguments(handler, codecs.of(handler.service()));
	}

}
