package io.farine.rpc;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

import io.farine.amqp.Broker;
import io.farine.amqp.BrokerConnections;
import io.farine.amqp.CorrelatedProperties;
import io.farine.amqp.UnroutableMessageException;
import io.farine.amqp.Wire;
import io.farine.config.FarineProperties;
import io.farine.config.ServiceSettings;
import io.farine.service.JsonCodec;
import io.farine.service.RpcEndpoint;

/**
 * Sends one-way requests ({@link OneWay}, {@link RpcOperations#signal}): the request of a call
 * with no reply, on the service's exchange with key {@code <service>__<method>} as any request,
 * mandatory and confirmed, with the header {@code x-farine-reply: none} a farine server reads as
 * "send nothing back". A Python farine server ignores that header and replies to
 * {@code reply_to}, so the request carries one that no queue is bound to
 * ({@value RpcFrames#ONE_WAY_REPLY_TO}): its frames are dropped by the broker. No reply queue
 * is declared or bound, and nothing waits in the transport's table of calls.
 */
final class OneWaySender {

	private static final Map<String, Object> NO_REPLY = Map.of(RpcFrames.REPLY_HEADER, RpcFrames.NONE);

	private final FarineProperties properties;

	private final BrokerConnections brokers;

	private final JsonCodec codec;

	/** Each called service's broker and whether to retry connecting, resolved once. */
	private final Map<String, Target> targets = new ConcurrentHashMap<>();

	OneWaySender(FarineProperties properties, BrokerConnections brokers, JsonCodec codec) {
		this.properties = properties;
		this.brokers = brokers;
		this.codec = codec;
	}

	/**
	 * Sends a one-way request.
	 * @param call what to call (its timeout and streaming flag do not apply)
	 * @return completed once the broker confirmed the request; failed with an
	 * {@link RpcUnroutableException} when no queue takes it, or an {@link RpcException}
	 */
	CompletableFuture<Void> send(RpcTransport.Call call) {
		String key = call.service() + RpcEndpoint.SEPARATOR + call.method();
		CompletableFuture<Void> confirmed;
		try {
			Target target = this.targets.computeIfAbsent(call.service(), this::target);
			byte[] body = RpcFrames.request(this.codec.mapper(), call.args(), call.kwargs());
			CorrelatedProperties request = CorrelatedProperties.oneWay(Wire.newId(), RpcFrames.ONE_WAY_REPLY_TO,
					NO_REPLY);
			confirmed = target.broker.publish(call.service(), key, request, body, target.retry);
		}
		catch (RpcException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(
					new RpcException(call.service(), call.method(), "Could not send " + call + ": " + ex.getMessage(), ex));
		}
		return confirmed.exceptionallyCompose((error) -> CompletableFuture.failedFuture(failure(call, key, error)));
	}

	private static RpcException failure(RpcTransport.Call call, String key, Throwable error) {
		Throwable cause = (error instanceof CompletionException && error.getCause() != null) ? error.getCause() : error;
		if (cause instanceof UnroutableMessageException) {
			return new RpcUnroutableException(call.service(), call.method(), "No server of " + call
					+ " took the one-way request: no queue is bound to exchange '" + call.service() + "' with key '"
					+ key + "' (is the service running?)", cause);
		}
		return new RpcException(call.service(), call.method(),
				"The one-way request of " + call + " was not taken by the broker: " + cause.getMessage(), cause);
	}

	private Target target(String service) {
		ServiceSettings settings = this.properties.service(service);
		return new Target(this.brokers.broker(settings), settings.retry());
	}

	private record Target(Broker broker, boolean retry) {
	}

}
