package io.farine.outbox;

import org.springframework.context.ApplicationContext;

/**
 * What the relay of the primary database sent, for the tests of other packages: the relay is
 * package-private, not part of farine's API.
 */
public final class PrimaryRelay {

	private PrimaryRelay() {
	}

	/**
	 * How many messages the relay of the application's primary DataSource sent.
	 * @param context the application
	 * @return the count since the relay started
	 */
	public static long sent(ApplicationContext context) {
		return context.getBean(OutboxRelay.class).sent();
	}

}
