package io.farine.outbox;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The outbox relay as a health indicator ({@code farineOutbox}): up while its passes succeed,
 * down while they fail (the database or the broker cannot be reached, or a batch could not be
 * read), with the error and since when; the relay keeps trying meanwhile. Rows parked because the
 * broker refused them for good are a detail, not a failure.
 */
final class OutboxHealthIndicator implements HealthIndicator {

	private final OutboxRelay relay;

	/**
	 * Creates the indicator.
	 * @param relay the relay
	 */
	OutboxHealthIndicator(OutboxRelay relay) {
		this.relay = relay;
	}

	@Override
	public Health health() {
		OutboxRelay.Failure failure = this.relay.failure();
		Health.Builder builder = (failure != null)
				? Health.down().withDetail("error", failure.error()).withDetail("since", failure.since().toString())
				: Health.up();
		return builder.withDetail("parked", this.relay.parked()).build();
	}

}
