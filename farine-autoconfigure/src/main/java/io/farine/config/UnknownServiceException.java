package io.farine.config;

import java.util.Collection;
import java.util.List;

/**
 * Thrown at start-up when {@code --start} (or {@code farine.start}) names a service this
 * application does not have, as the original quits on an unknown module; the report lists the
 * services that do exist.
 */
public class UnknownServiceException extends IllegalStateException {

	private final List<String> unknown;

	private final List<String> known;

	/**
	 * Creates the exception.
	 * @param unknown the names that match no service
	 * @param known the services of the application
	 */
	public UnknownServiceException(Collection<String> unknown, Collection<String> known) {
		super("--start names " + ((unknown.size() == 1) ? "a service that does" : "services that do")
				+ " not exist: " + String.join(", ", unknown) + ". The services are: "
				+ (known.isEmpty() ? "none" : String.join(", ", known)) + ".");
		this.unknown = List.copyOf(unknown);
		this.known = List.copyOf(known);
	}

	/**
	 * The names that match no service.
	 * @return the names
	 */
	public List<String> unknown() {
		return this.unknown;
	}

	/**
	 * The services of the application.
	 * @return the names
	 */
	public List<String> known() {
		return this.known;
	}

}
