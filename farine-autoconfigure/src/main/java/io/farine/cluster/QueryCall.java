package io.farine.cluster;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;

/**
 * One query in flight: the acknowledgements and answers as they come, then the end once every
 * instance expected answered (and acknowledged, when asked), or at the timeout, naming the
 * silent ones. Answers that came before anyone subscribed are kept for the subscriber.
 */
final class QueryCall {

	private final String name;

	private final QueryOptions options;

	/** The instances the registry knew at send time; {@code null} without a registry: wait for the timeout. */
	private final @Nullable Set<String> expected;

	private final Runnable forget;

	private final Sinks.Many<QueryAnswer> answers = Sinks.many().replay().all();

	private final Set<String> acked = ConcurrentHashMap.newKeySet();

	private final Set<String> answered = ConcurrentHashMap.newKeySet();

	private boolean ended;

	QueryCall(String name, QueryOptions options, @Nullable Set<String> expected, Runnable forget) {
		this.name = name;
		this.options = options;
		this.expected = (expected != null) ? Set.copyOf(expected) : null;
		this.forget = forget;
	}

	Flux<QueryAnswer> answers() {
		return this.answers.asFlux();
	}

	synchronized void acked(String instance) {
		if (!this.ended && this.acked.add(instance)) {
			this.answers.tryEmitNext(new QueryAnswer(QueryAnswer.Kind.ACK, instance, null, new byte[0], List.of()));
			endIfComplete();
		}
	}

	synchronized void answered(String instance, @Nullable JsonNode payload, byte[] body) {
		if (!this.ended && this.answered.add(instance)) {
			this.answers.tryEmitNext(new QueryAnswer(QueryAnswer.Kind.RESPONSE, instance, payload, body, List.of()));
			endIfComplete();
		}
	}

	/** The timeout passed, or there is nothing to wait for. */
	synchronized void end() {
		if (this.ended) {
			return;
		}
		this.ended = true;
		Set<String> silent = new TreeSet<>((this.expected != null) ? this.expected : Set.of());
		silent.removeAll(this.answered);
		this.answers.tryEmitNext(new QueryAnswer(QueryAnswer.Kind.END, "", null, new byte[0], List.copyOf(silent)));
		this.answers.tryEmitComplete();
		this.forget.run();
	}

	private void endIfComplete() {
		if (this.expected != null && this.answered.containsAll(this.expected)
				&& (!this.options.requestAck() || this.acked.containsAll(this.expected))) {
			end();
		}
	}

	@Override
	public String toString() {
		return "query '" + this.name + "'";
	}

}
