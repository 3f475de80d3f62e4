package io.farine.outbox;

import org.springframework.context.ApplicationContext;

/**
 * The outbox relay of one application, as the outbox-drain benchmark times it: woken at the
 * backlog's commit, and counted as it sends. In the relay's package because the relay is
 * package-private, not part of farine's API; only this benchmark module uses it.
 */
public final class DrainedRelay {

	private final OutboxRelay relay;

	/**
	 * The relay of the application's primary DataSource.
	 * @param context the application
	 */
	public DrainedRelay(ApplicationContext context) {
		this.relay = context.getBean(OutboxRelay.class);
	}

	/** Tells the relay that rows were committed, as the outbox does after a commit. */
	public void wake() {
		this.relay.wake();
	}

	/**
	 * How many messages the relay sent: confirmed by the broker and deleted from the table.
	 * @return the count since the relay started
	 */
	public long sent() {
		return this.relay.sent();
	}

}
