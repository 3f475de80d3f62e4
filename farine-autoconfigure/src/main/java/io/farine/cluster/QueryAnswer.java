package io.farine.cluster;

import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One element of a query's answers: an instance's acknowledgement, its answer, or the end, which
 * names the instances the registry knew at send time that did not answer in time.
 *
 * @param kind what this element is
 * @param instanceId the instance that acknowledged or answered; empty for the end
 * @param payload the answer as JSON, or {@code null} (an acknowledgement, the end, or a raw answer)
 * @param body the answer's bytes as sent (JSON, or raw from a {@code byte[]} answer); empty otherwise
 * @param silent at the end, the instances that did not answer
 */
public record QueryAnswer(Kind kind, String instanceId, @Nullable JsonNode payload, byte[] body, List<String> silent) {

	public QueryAnswer {
		silent = List.copyOf(silent);
	}

	/** What a {@link QueryAnswer} is. */
	public enum Kind {

		/** An instance took the query (with {@link QueryOptions#withAck()}). */
		ACK,

		/** An instance's answer. */
		RESPONSE,

		/** The last element: every instance answered, or the timeout passed. */
		END

	}

}
