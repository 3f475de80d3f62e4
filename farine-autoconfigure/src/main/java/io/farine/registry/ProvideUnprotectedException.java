package io.farine.registry;

/**
 * Thrown at start-up when {@code /provide} would listen on an address other hosts reach with no
 * {@code provide_token}: anyone on the network could then register any service, and callers
 * would trust it.
 */
final class ProvideUnprotectedException extends IllegalStateException {

	private final String host;

	ProvideUnprotectedException(String host, int port) {
		super("/provide would listen on " + host + ":" + port + " (provide_host) without a provide_token: anyone "
				+ "who reaches that address could register any service, and callers would trust it.");
		this.host = host;
	}

	/**
	 * The address it would listen on.
	 * @return {@code provide_host}
	 */
	String host() {
		return this.host;
	}

}
