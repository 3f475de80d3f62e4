package io.farine.test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import org.jspecify.annotations.Nullable;

import io.farine.observation.FarineObservation;

import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Records every message farine's consumers finish with, from farine's own {@code farine.consume}
 * observation, and every call of an {@code @OnEvent}, {@code @OnQuery} or {@code @SseListener}
 * method, from its {@code farine.cluster.event}, {@code farine.cluster.query} or {@code farine.sse}
 * one: this post-processor adds an observation handler to the application's
 * {@link ObservationRegistry} (the one {@link FarineTestConfiguration} adds when there is none),
 * so the test sees the real paths and changes nothing in them. The message a test published
 * is recognised by the {@value #TEST_ID_HEADER} header the client put on it.
 */
final class HandlingRecorder implements BeanPostProcessor {

	/** Header carrying the id the client gave a message, read back from the consume observation. */
	static final String TEST_ID_HEADER = "x-farine-test-id";

	static final String CONSUME = FarineObservation.CONSUME.getName();

	/** The observations of handler methods, named by the annotation that makes one. */
	static final Map<String, String> HANDLERS = Map.of(FarineObservation.EVENT.getName(), "@OnEvent",
			FarineObservation.QUERY.getName(), "@OnQuery", FarineObservation.SSE.getName(), "@SseListener");

	/** How many finished messages are kept: the latest, a bound for a long test run. */
	private static final int KEPT = 10_000;

	private final Deque<Consumed> consumed = new ArrayDeque<>();

	/** How many messages were recorded since the start, the number of the next one. */
	private long recorded;

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof ObservationRegistry registry && registry != ObservationRegistry.NOOP) {
			registry.observationConfig().observationHandler(new Handler());
		}
		return bean;
	}

	/**
	 * Waits for a message to be finished with.
	 * @param matches which one
	 * @param timeout how long to wait
	 * @return the first recorded that matches, or {@code null} when none did in time
	 */
	synchronized @Nullable Consumed await(Predicate<Consumed> matches, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			for (Consumed each : this.consumed) {
				if (matches.test(each)) {
					return each;
				}
			}
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return null;
			}
			wait(Math.max(1, left / 1_000_000));
		}
	}

	/**
	 * The number the next message recorded will have.
	 * @return the number
	 */
	synchronized long next() {
		return this.recorded;
	}

	/** What was recorded, oldest first. */
	synchronized List<Consumed> consumed() {
		return List.copyOf(this.consumed);
	}

	private synchronized void record(Consumed message) {
		if (this.consumed.size() == KEPT) {
			this.consumed.removeFirst();
		}
		this.consumed.add(message.numbered(this.recorded++));
		notifyAll();
	}

	/**
	 * One message a consumer finished with, or one call of a handler method.
	 * @param kind the observation's name: {@code farine.consume}, or one of {@link #HANDLERS}
	 * @param service the consuming service
	 * @param queue the queue it came from; the method for a handler method
	 * @param testId the id the test client gave it, or {@code null} for a message it did not publish
	 * @param attempts how many times the handler ran
	 * @param error why it failed, or {@code null}
	 * @param deadLetterQueue where it was dead-lettered, or {@code null}
	 * @param number its number in the order of recording
	 */
	record Consumed(String kind, String service, String queue, @Nullable String testId, int attempts,
			@Nullable Throwable error, @Nullable String deadLetterQueue, long number) {

		Consumed numbered(long number) {
			return new Consumed(this.kind, this.service, this.queue, this.testId, this.attempts, this.error,
					this.deadLetterQueue, number);
		}

		Handling handling(String handler) {
			Handling.Outcome outcome = (this.error == null) ? Handling.Outcome.HANDLED
					: (this.deadLetterQueue != null) ? Handling.Outcome.DEAD_LETTERED : Handling.Outcome.FAILED;
			return new Handling(handler, outcome, this.attempts, this.error, this.deadLetterQueue);
		}

		@Override
		public String toString() {
			String annotation = HANDLERS.get(this.kind);
			if (annotation != null) {
				return annotation + " " + handling(this.service + "." + this.queue);
			}
			return "queue '" + this.queue + "' of " + this.service + ((this.testId != null) ? " message " + this.testId
					: " a message the test did not publish") + ": "
					+ handling(this.service).toString().substring(this.service.length() + 1);
		}

	}

	/** Reads a finished {@code farine.consume} observation, or one of a handler method. */
	private final class Handler implements ObservationHandler<Observation.Context> {

		@Override
		public boolean supportsContext(Observation.Context context) {
			// the name is not set yet when the handlers are chosen; onStop checks it
			return true;
		}

		@Override
		public void onStop(Observation.Context context) {
			String name = context.getName();
			// Map.of takes no null key: an observation of another library may have no name
			if (name != null && HANDLERS.containsKey(name)) {
				String service = value(context.getLowCardinalityKeyValue(FarineObservation.Keys.SERVICE.asString()));
				String method = value(context.getLowCardinalityKeyValue(FarineObservation.Keys.METHOD.asString()));
				record(new Consumed(name, String.valueOf(service), String.valueOf(method), null, 1, context.getError(),
						null, -1));
				return;
			}
			if (!CONSUME.equals(name)) {
				return;
			}
			String service = value(context.getLowCardinalityKeyValue(FarineObservation.Keys.SERVICE.asString()));
			String queue = value(context.getLowCardinalityKeyValue(FarineObservation.Keys.QUEUE.asString()));
			String attempts = value(
					context.getHighCardinalityKeyValue(FarineObservation.ConsumeKeys.ATTEMPTS.asString()));
			String deadLetterQueue = value(
					context.getHighCardinalityKeyValue(FarineObservation.ConsumeKeys.DEAD_LETTER_QUEUE.asString()));
			if (attempts == null && context.getError() != null) {
				// a failed try within a batch (db_batch_size): the message is handled again on its own
				return;
			}
			record(new Consumed(name, String.valueOf(service), String.valueOf(queue), testId(context),
					(attempts != null) ? Integer.parseInt(attempts) : 1, context.getError(), deadLetterQueue, -1));
		}

		private static @Nullable String value(@Nullable KeyValue keyValue) {
			return (keyValue != null) ? keyValue.getValue() : null;
		}

		private static @Nullable String testId(Observation.Context context) {
			if (context instanceof ReceiverContext<?> receiver && receiver.getCarrier() instanceof Map<?, ?> headers) {
				Object id = headers.get(TEST_ID_HEADER);
				return (id != null) ? id.toString() : null;
			}
			return null;
		}

	}

}
