package io.farine.observation;

import io.micrometer.common.KeyValues;
import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations farine makes, their names (the timers' names with Micrometer) and keys: what
 * a dashboard or an {@code ObservationPredicate} refers to. Every observation is tagged with its
 * service and outcome; Micrometer's timers add the exception type as {@code error}.
 */
public enum FarineObservation implements ObservationDocumentation {

	/** A message published (until the broker confirmed it, or the outbox stored it). */
	PUBLISH("farine.publish", Keys.SERVICE, Keys.EXCHANGE, Keys.OUTCOME),

	/** A message consumed by a {@code @Consume} handler, retries included. */
	CONSUME("farine.consume", Keys.SERVICE, Keys.QUEUE, Keys.OUTCOME),

	/** An RPC call made, until its reply ended or failed. */
	RPC_CLIENT("farine.rpc.client", Keys.SERVICE, Keys.METHOD, Keys.OUTCOME),

	/** An RPC request served by an {@code @RpcMethod}, reply included. */
	RPC_SERVER("farine.rpc.server", Keys.SERVICE, Keys.METHOD, Keys.OUTCOME),

	/** An SSE event handled by an {@code @SseListener}. */
	SSE("farine.sse", Keys.SERVICE, Keys.METHOD, Keys.OUTCOME),

	/** One run of an {@code @Execute} method, until it returned or threw. */
	EXECUTE("farine.execute", Keys.SERVICE, Keys.METHOD, Keys.OUTCOME),

	/** A cluster event handled by an {@code @OnEvent} method. */
	EVENT("farine.cluster.event", Keys.SERVICE, Keys.METHOD, Keys.OUTCOME),

	/** A cluster query answered by an {@code @OnQuery} method, answer included. */
	QUERY("farine.cluster.query", Keys.SERVICE, Keys.METHOD, Keys.OUTCOME);

	private final String name;

	private final KeyName[] keys;

	private final ObservationConvention<Observation.Context> convention;

	/** The key naming the endpoint observed: exchange, queue or method. */
	private final KeyName endpointKey;

	FarineObservation(String name, KeyName service, KeyName endpoint, KeyName outcome) {
		this.name = name;
		this.keys = new KeyName[] { service, endpoint, outcome };
		this.endpointKey = endpoint;
		this.convention = new Convention(name);
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public KeyName[] getLowCardinalityKeyNames() {
		return this.keys;
	}

	@Override
	public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
		return Convention.class;
	}

	ObservationConvention<Observation.Context> convention() {
		return this.convention;
	}

	KeyName endpointKey() {
		return this.endpointKey;
	}

	@Override
	public KeyName[] getHighCardinalityKeyNames() {
		return (this == CONSUME) ? ConsumeKeys.values() : new KeyName[0];
	}

	/**
	 * The high-cardinality keys of a {@link #CONSUME} observation, set when it stops: what
	 * happened to the message, for a span or an {@code ObservationHandler} (farine-test's
	 * {@code FarineTestClient.awaitHandled} reads them). Timers leave them out.
	 */
	public enum ConsumeKeys implements KeyName {

		/** How many times the handler ran: 1 when it succeeded at once, 0 when the body could not be read. */
		ATTEMPTS("attempts"),

		/** The dead-letter queue the message was sent to; absent when it was not dead-lettered. */
		DEAD_LETTER_QUEUE("dead_letter_queue");

		private final String key;

		ConsumeKeys(String key) {
			this.key = key;
		}

		@Override
		public String asString() {
			return this.key;
		}

	}

	/** The low-cardinality keys. */
	public enum Keys implements KeyName {

		/** The farine service. */
		SERVICE("service"),

		/** The exchange published to. */
		EXCHANGE("exchange"),

		/** The queue consumed. */
		QUEUE("queue"),

		/** The RPC method, or the handler method of an SSE listener, {@code @Execute}, {@code @OnEvent} or {@code @OnQuery}. */
		METHOD("method"),

		/** {@code success} or {@code failure}. */
		OUTCOME("outcome");

		private final String key;

		Keys(String key) {
			this.key = key;
		}

		@Override
		public String asString() {
			return this.key;
		}

	}

	/** Names an observation and adds its outcome when it stops. */
	static final class Convention implements ObservationConvention<Observation.Context> {

		/** The outcomes, made once: asked for at every start and stop. */
		private static final KeyValues SUCCESS = KeyValues.of(Keys.OUTCOME.withValue("success"));

		private static final KeyValues FAILURE = KeyValues.of(Keys.OUTCOME.withValue("failure"));

		private final String name;

		Convention(String name) {
			this.name = name;
		}

		@Override
		public String getName() {
			return this.name;
		}

		@Override
		public KeyValues getLowCardinalityKeyValues(Observation.Context context) {
			return (context.getError() == null) ? SUCCESS : FAILURE;
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}

}
