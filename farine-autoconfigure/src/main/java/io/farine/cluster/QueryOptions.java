package io.farine.cluster;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Who a query asks and how long it waits: immutable, made with {@link #all()} and the
 * {@code with} methods.
 *
 * @param service only the instances of this service, or {@code null} for every service
 * @param tags only the instances registered with all these tags (such as {@code role=db})
 * @param timeout how long the query waits for the answers
 * @param requestAck whether each instance acknowledges the query before it answers
 */
public record QueryOptions(@Nullable String service, List<String> tags, Duration timeout, boolean requestAck) {

	public QueryOptions {
		tags = List.copyOf(tags);
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("A query's timeout must be positive, not " + timeout);
		}
	}

	/**
	 * Every live instance, answers awaited 5 s, no acknowledgements.
	 * @return the options
	 */
	public static QueryOptions all() {
		return new QueryOptions(null, List.of(), Duration.ofSeconds(5), false);
	}

	/**
	 * Only the instances of a service.
	 * @param name the service
	 * @return new options
	 */
	public QueryOptions withService(String name) {
		return new QueryOptions(name, this.tags, this.timeout, this.requestAck);
	}

	/**
	 * Only the instances registered with all these tags.
	 * @param required the tags, such as {@code role=db}
	 * @return new options
	 */
	public QueryOptions withTags(String... required) {
		return new QueryOptions(this.service, List.of(required), this.timeout, this.requestAck);
	}

	/**
	 * Another timeout.
	 * @param wait how long the query waits
	 * @return new options
	 */
	public QueryOptions withTimeout(Duration wait) {
		return new QueryOptions(this.service, this.tags, wait, this.requestAck);
	}

	/**
	 * Each instance acknowledges the query first.
	 * @return new options
	 */
	public QueryOptions withAck() {
		return new QueryOptions(this.service, this.tags, this.timeout, true);
	}

}
