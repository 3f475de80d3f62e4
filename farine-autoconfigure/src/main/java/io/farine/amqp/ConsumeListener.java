package io.farine.amqp;

import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;

import com.rabbitmq.client.Channel;
import io.micrometer.observation.Observation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.farine.config.ServiceSettings;
import io.farine.observation.FarineObservation;
import io.farine.observation.FarineObservations;
import io.farine.service.ConsumeEndpoint;
import io.farine.service.HandlerException;
import io.farine.service.HandlerInvoker;
import io.farine.service.HandlerMethod;
import io.farine.service.InvocationTimings;
import io.farine.service.JsonCodec;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

/**
 * Runs one {@code @Consume} handler for each delivery: converts the body, calls the handler with
 * retries, acknowledges on success, and dead-letters what cannot be handled. Never throws: every
 * message ends acknowledged, dead-lettered or back on its queue.
 */
final class ConsumeListener implements ChannelAwareMessageListener {

	private static final Log logger = LogFactory.getLog(ConsumeListener.class);

	private final ConsumeEndpoint endpoint;

	private final String queue;

	private final DeadLetterQueue deadLetters;

	private final Broker broker;

	private final HandlerInvoker invoker;

	private final ConsumeArguments arguments;

	/** Handles a delivery, made once: the observation runs it for each message. */
	private final BiFunction<Delivery, Observation, @Nullable Throwable> handling = this::handle;

	private final RetryTemplate retry;

	/** Set for an idempotent consumer: records the message ids it handled. */
	private final @Nullable ConsumerInbox inbox;

	private final FarineObservations observations;

	/** Set with {@code debug = true}: how to answer a body asking for its timings. */
	private final @Nullable Debug debug;

	ConsumeListener(ConsumeEndpoint endpoint, String queue, String deadLetterQueue, Broker broker,
			HandlerInvoker invoker, JsonCodec codec, ServiceSettings settings) {
		this(endpoint, queue, deadLetterQueue, broker, invoker, codec, settings, null, FarineObservations.NONE);
	}

	ConsumeListener(ConsumeEndpoint endpoint, String queue, String deadLetterQueue, Broker broker,
			HandlerInvoker invoker, JsonCodec codec, ServiceSettings settings, @Nullable ConsumerInbox inbox,
			FarineObservations observations) {
		this.observations = observations;
		this.debug = settings.debug()
				? new Debug(codec, new DebugQueue(broker, settings, codec, endpoint.exchange())) : null;
		this.inbox = inbox;
		this.endpoint = endpoint;
		this.queue = queue;
		this.deadLetters = new DeadLetterQueue(queue, deadLetterQueue, broker, settings.publishTimeout());
		this.broker = broker;
		this.invoker = invoker;
		if (!(endpoint.arguments() instanceof ConsumeArguments consumeArguments)) {
			throw new IllegalStateException(endpoint.handler() + " has the arguments of another kind of endpoint: "
					+ endpoint.arguments().getClass().getName());
		}
		this.arguments = consumeArguments;
		this.retry = new RetryTemplate(RetryPolicy.builder()
			.maxRetries(settings.consumeRetries())
			.delay(settings.consumeRetryDelay())
			.multiplier(settings.consumeRetryMultiplier())
			.maxDelay(max(settings.consumeRetryDelay(), settings.consumeRetryMaxDelay()))
			.predicate((ex) -> !(ex instanceof SettledByHandler) && !(ex instanceof HandlerException failure
					&& failure.badInput()))
			.build());
	}

	private @Nullable Object invoke(Delivery delivery, @Nullable InvocationTimings timings) {
		return this.invoker.invoke(handler(), this.arguments, delivery, firstDelivery(delivery), (result) -> result,
				timings);
	}

	/**
	 * Calls the handler, and records the message in the inbox of an idempotent consumer, in the
	 * batch's transaction: once, without retries.
	 * @param savepoint whether in a savepoint of its own, rolled back alone when the handler throws
	 * @throws HandlerException as the handler's invocation does
	 */
	void invokeInBatch(Delivery delivery, boolean savepoint) {
		this.invoker.batches().invoke(handler(), this.arguments, delivery, firstDelivery(delivery), savepoint);
	}

	/** Whether a message's handler runs: always, or for an idempotent consumer the first time only. */
	private BooleanSupplier firstDelivery(Delivery delivery) {
		String messageId = delivery.message().getMessageProperties().getMessageId();
		if (this.inbox == null || messageId == null) {
			return () -> true;
		}
		ConsumerInbox records = this.inbox;
		return () -> {
			if (records.firstDelivery(messageId)) {
				return true;
			}
			logger.info("Message " + messageId + " from queue '" + this.queue + "' was handled already by "
					+ handler() + " (inbox '" + records.consumer() + "'); acknowledging it without handling it again");
			return false;
		};
	}

	/** Whether a message's body asks for the timings of its handling ({@code debug = true} only). */
	boolean asksForTimings(Message message) {
		Debug debug = this.debug;
		return debug != null && InvocationTimings.askedForAsPython(message.getBody(), debug.codec) != null;
	}

	/** The observation of one message's handling, not started. */
	Observation observation(Message message) {
		return this.observations.consume(this.endpoint.service(), this.queue,
				message.getMessageProperties().getHeaders());
	}

	String queue() {
		return this.queue;
	}

	@Override
	public void onMessage(Message message, Channel channel) {
		Observation observation = observation(message);
		this.invoker.observe(observation, this.handling, new Delivery(message, channel, this), observation);
	}

	/**
	 * Handles a delivery, then, if its body asked for them and it was handled, sends its timings
	 * to the {@code debug} queue as the original does.
	 */
	private @Nullable Throwable handle(Delivery delivery, Observation observation) {
		Debug debug = this.debug;
		InvocationTimings timings = (debug != null) ? InvocationTimings.askedForAsPython(delivery.body(), debug.codec)
				: null;
		Throwable failure = handle(delivery, timings, observation);
		if (debug != null && timings != null && failure == null) {
			timings.replied();
			MessageProperties properties = delivery.message().getMessageProperties();
			debug.queue.send(delivery.body(), properties.getMessageId(), properties.getReceivedRoutingKey(), timings);
		}
		return failure;
	}

	/**
	 * Handles a delivery, with its retries; returns why it failed, or {@code null}. The
	 * observation gets the attempts made and, for a dead-lettered message, the dead-letter queue
	 * ({@link FarineObservation.ConsumeKeys}).
	 */
	private @Nullable Throwable handle(Delivery delivery, @Nullable InvocationTimings timings,
			Observation observation) {
		int[] attempts = { 0 };
		try {
			this.retry.execute(() -> {
				attempts[0]++;
				try {
					return invoke(delivery, timings);
				}
				catch (HandlerException ex) {
					if (!ex.badInput() && delivery.settled()) {
						throw new SettledByHandler(ex.getCause());
					}
					logger.debug("Attempt " + attempts[0] + " of " + handler() + " failed", ex);
					throw ex;
				}
			});
			if (delivery.settle()) {
				delivery.ackNow();
			}
			observed(observation, attempts[0], null);
			return null;
		}
		catch (RetryException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof SettledByHandler settled) {
				observed(observation, attempts[0], null);
				logger.warn(handler() + " failed after settling its message itself", settled.getCause());
				return settled.getCause();
			}
			Throwable error = (cause instanceof HandlerException failure) ? failure.getCause() : cause;
			if (cause instanceof HandlerException failure && failure.badInput()) {
				logger.warn("Dead-lettering a message from queue '" + this.queue + "' that " + handler()
						+ " cannot take: " + error.getMessage());
				delivery.settle();
				this.deadLetters.send(delivery, error, 0);
				observed(observation, 0, this.deadLetters.name());
				return error;
			}
			logger.error(handler() + " failed " + attempts[0] + " time(s) on a message from queue '" + this.queue
					+ "'; dead-lettering it to '" + this.deadLetters.name() + "'", error);
			delivery.settle();
			this.deadLetters.send(delivery, error, attempts[0]);
			observed(observation, attempts[0], this.deadLetters.name());
			return error;
		}
		catch (RuntimeException ex) {
			logger.error("Unexpected failure handling a message from queue '" + this.queue + "'; requeueing it", ex);
			if (delivery.settle()) {
				delivery.nackAndRequeue();
			}
			observed(observation, attempts[0], null);
			return ex;
		}
	}

	/** Adds how many times the handler ran and where the message was dead-lettered, if it was. */
	private static void observed(Observation observation, int attempts, @Nullable String deadLetterQueue) {
		if (observation.isNoop()) {
			return;
		}
		observation.highCardinalityKeyValue(
				FarineObservation.ConsumeKeys.ATTEMPTS.withValue(Integer.toString(attempts)));
		if (deadLetterQueue != null) {
			observation.highCardinalityKeyValue(
					FarineObservation.ConsumeKeys.DEAD_LETTER_QUEUE.withValue(deadLetterQueue));
		}
	}

	/** Sends a message its handler rejected to the dead-letter queue. */
	void deadLetter(Delivery delivery, Throwable error, int attempts) {
		this.deadLetters.send(delivery, error, attempts);
	}

	HandlerMethod handler() {
		return this.endpoint.handler();
	}

	private static Duration max(Duration a, Duration b) {
		return (a.compareTo(b) >= 0) ? a : b;
	}

	/** A handler failure after the handler settled its message itself: not retried. */
	private static final class SettledByHandler extends RuntimeException {

		SettledByHandler(Throwable cause) {
			super(cause);
		}

	}

	/** What answering {@code "__debug__"} takes. */
	private record Debug(JsonCodec codec, DebugQueue queue) {
	}

}
