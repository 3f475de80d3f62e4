package io.farine.actuate;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;

import io.farine.amqp.DeadLetterQueues;
import io.farine.amqp.DeadLetterQueues.DeadLetterException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * The {@code dead-letters} paths of the {@code farine} endpoint, each answered with the HTTP status
 * that says what happened:
 * <ul>
 * <li>{@code GET dead-letters}: each dead-letter queue and its count;</li>
 * <li>{@code GET dead-letters/<queue>?limit=N}: its first N messages (default
 * {@value #DEFAULT_LIMIT}), left in place and in order;</li>
 * <li>{@code POST dead-letters/<queue>/replay}: replay all; {@code POST dead-letters/<queue>/replay/<message id>}:
 * replay one. The id is in the path, not a parameter: an operation with a parameter takes a JSON
 * body, and a bare {@code curl -X POST} without a {@code Content-Type} would get 415.</li>
 * <li>{@code DELETE dead-letters/<queue>?confirm=<queue>}: purge.</li>
 * </ul>
 * 404 for a queue that is not one of the application's (naming those that are) or a message not
 * found, 400 for a missing confirmation or a bad limit, 409 when the queue's state stops the
 * operation, 503 when the broker is out of reach.
 */
final class DeadLetterRequests {

	static final String PATH = "dead-letters";

	static final int DEFAULT_LIMIT = 10;

	private final DeadLetterQueues queues;

	DeadLetterRequests(DeadLetterQueues queues) {
		this.queues = queues;
	}

	WebEndpointResponse<Object> read(String[] path, @Nullable Integer limit) {
		return switch (path.length) {
			case 1 -> answer(() -> Map.of("queues", this.queues.list()));
			case 2 -> answer(() -> this.queues.peek(path[1], (limit != null) ? limit : DEFAULT_LIMIT));
			default -> FarineEndpoint.unknownPath(path);
		};
	}

	WebEndpointResponse<Object> write(String[] path) {
		if (path.length >= 3 && path[2].equals("replay")) {
			String id = (path.length > 3) ? String.join("/", Arrays.copyOfRange(path, 3, path.length)) : null;
			return answer(() -> this.queues.replay(path[1], id));
		}
		return FarineEndpoint.unknownPath(path);
	}

	WebEndpointResponse<Object> delete(String[] path, @Nullable String confirm) {
		if (path.length == 2) {
			return answer(() -> this.queues.purge(path[1], confirm));
		}
		return FarineEndpoint.unknownPath(path);
	}

	private static WebEndpointResponse<Object> answer(Supplier<Object> operation) {
		try {
			return new WebEndpointResponse<>(operation.get());
		}
		catch (DeadLetterException ex) {
			int status = switch (ex.reason()) {
				case BAD_REQUEST -> WebEndpointResponse.STATUS_BAD_REQUEST;
				case NOT_FOUND -> WebEndpointResponse.STATUS_NOT_FOUND;
				case CONFLICT -> 409;
				case UNAVAILABLE -> WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE;
			};
			return new WebEndpointResponse<>(Map.of("error", String.valueOf(ex.getMessage())), status);
		}
	}

}
