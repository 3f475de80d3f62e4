package io.farine.amqp;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

import io.farine.config.ServiceSettings;
import io.farine.observation.FarineObservations;
import io.farine.service.JsonCodec;

/**
 * The {@link Publisher} {@link Publish} injects: JSON-encodes bodies and sends them through its
 * broker's confirmed publish path. Messages always go out with AMQP's {@code mandatory} flag; one
 * no queue received is an error for a mandatory publisher, and confirmed and counted for another.
 * Every future it returns passes a failure from outside (a caller's {@code publish_timeout}) back
 * to the message it stands for, so a message whose caller gave up is never sent. Every message
 * names its sending service and instance in two headers ({@link FarineMessage#senderService()}),
 * which Python peers ignore.
 */
final class AmqpPublisher implements Publisher {

	private final Broker broker;

	private final String exchange;

	private final String routingKey;

	private final boolean mandatory;

	/** Counts a publish that is not mandatory and that no queue received. */
	private final Runnable unroutable;

	private final ServiceSettings settings;

	private final JsonCodec json;

	/** Finds the outbox, when the application has a database: publishes inside a transaction go there. */
	private final Supplier<@Nullable Outbox> outboxLookup;

	private @Nullable Outbox outbox;

	/** Set once the outbox was looked up: a lookup per publish would cost the publish path. */
	private volatile boolean outboxResolved;

	private final FarineObservations observations;

	/** Names the sending service and instance, made once: every message carries this map. */
	private final Map<String, Object> sender;

	AmqpPublisher(Broker broker, String exchange, String routingKey, boolean mandatory, ServiceSettings settings,
			JsonCodec json, Supplier<@Nullable Outbox> outbox, FarineObservations observations, Runnable unroutable,
			String instance) {
		this.sender = Map.of(FarineMessage.SENDER_SERVICE_HEADER, settings.name(), FarineMessage.SENDER_INSTANCE_HEADER,
				instance);
		this.mandatory = mandatory;
		this.unroutable = unroutable;
		this.observations = observations;
		this.outboxLookup = outbox;
		this.broker = broker;
		this.exchange = exchange;
		this.routingKey = routingKey;
		this.settings = settings;
		this.json = json;
	}

	@Override
	public void publish(Object body, PublishOptions options) {
		String key = routingKey(options);
		PublisherConfirms.await(publishAsync(body, options), this.settings.publishTimeout(),
				"exchange '" + this.exchange + "' with routing key '" + key + "'");
	}

	@Override
	public CompletableFuture<Void> publishAsync(Object body, PublishOptions options) {
		byte[] bytes = (body instanceof byte[] raw) ? raw : this.json.write(body);
		if (bytes.length > this.settings.maxMessageSize().toBytes()) {
			return CompletableFuture.failedFuture(new PublishException("A message of " + bytes.length + " bytes to exchange '"
					+ this.exchange + "' is larger than max_message_size of service '" + this.settings.name() + "' ("
					+ this.settings.maxMessageSize().toBytes() + " bytes); it was not sent", null));
		}
		boolean persistent = (options.persistent() != null) ? options.persistent() : this.settings.deliveryMode() == 2;
		String key = routingKey(options);
		if (!this.observations.enabled()) {
			return send(bytes, persistent, key, options, options.headers().isEmpty() ? this.sender : withSender(options));
		}
		Map<String, Object> headers = withSender(options);
		Observation observation = this.observations.publish(this.settings.name(), this.exchange, key, headers).start();
		CompletableFuture<Void> sent;
		try {
			sent = send(bytes, persistent, key, options, headers);
		}
		catch (RuntimeException | Error ex) {
			observation.error(ex);
			observation.stop();
			throw ex;
		}
		return linked(sent, sent.whenComplete((ok, failure) -> {
			if (failure != null) {
				observation.error(failure);
			}
			observation.stop();
		}));
	}

	/** The sender's headers, then the caller's, which win over them. */
	private Map<String, Object> withSender(PublishOptions options) {
		Map<String, Object> headers = new LinkedHashMap<>(this.sender);
		headers.putAll(options.headers());
		return headers;
	}

	/**
	 * A future derived from another that fails the other when it is failed from outside: the
	 * confirm future the broker's publish path holds is the one that decides whether a message
	 * still waiting for a connection is sent.
	 */
	private static <T> CompletableFuture<T> linked(CompletableFuture<?> source, CompletableFuture<T> derived) {
		derived.whenComplete((ok, failure) -> {
			if (failure != null) {
				source.completeExceptionally(failure);
			}
		});
		return derived;
	}

	private CompletableFuture<Void> send(byte[] bytes, boolean persistent, String key, PublishOptions options,
			Map<String, Object> headers) {
		OutboundMessage message = new OutboundMessage(this.settings.name(), this.exchange, key, Wire.newId(),
				persistent, headers, (options.ttl() != null) ? Instant.now().plus(options.ttl()) : null, bytes,
				this.mandatory);
		Outbox current = outbox();
		if (current != null && current.storeInTransaction(message)) {
			// sent by the outbox relay once the transaction commits; nothing if it rolls back
			return CompletableFuture.completedFuture(null);
		}
		CompletableFuture<Void> confirmed = this.broker.publish(message, this.settings, options.ttl());
		CompletableFuture<Void> sent = this.mandatory ? confirmed : linked(confirmed,
				confirmed.exceptionallyCompose((failure) -> {
					if (!(unwrap(failure) instanceof UnroutableMessageException)) {
						return CompletableFuture.failedFuture(failure);
					}
					this.unroutable.run();
					return CompletableFuture.completedFuture(null);
				}));
		if (current == null) {
			return sent;
		}
		return linked(sent, sent.exceptionallyCompose((failure) -> {
			if (!unreachable(failure)) {
				return CompletableFuture.failedFuture(failure);
			}
			// the broker cannot be reached: the outbox keeps the message until it can
			return CompletableFuture.runAsync(() -> current.store(message));
		}));
	}

	private static Throwable unwrap(Throwable failure) {
		return (failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null)
				? failure.getCause() : failure;
	}

	/** Whether a publish failed because no connection to the broker could be opened. */
	static boolean unreachable(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof java.net.ConnectException || cause instanceof java.net.UnknownHostException
					|| cause instanceof java.net.NoRouteToHostException
					|| cause instanceof org.springframework.amqp.AmqpConnectException) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

	private @Nullable Outbox outbox() {
		if (!this.outboxResolved) {
			this.outbox = this.outboxLookup.get();
			this.outboxResolved = true;
		}
		return this.outbox;
	}

	private String routingKey(PublishOptions options) {
		return (options.routingKey() != null) ? options.routingKey() : this.routingKey;
	}

	@Override
	public String exchange() {
		return this.exchange;
	}

	@Override
	public String routingKey() {
		return this.routingKey;
	}

	@Override
	public String toString() {
		return "Publisher[exchange=" + this.exchange + ", routingKey=" + this.routingKey + "]";
	}

}
