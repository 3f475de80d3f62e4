package io.farine.config;

/**
 * Thrown at start-up when a service's settings are out of range (a delay of zero, an unknown
 * value, ...); its report names the service and the key.
 */
public class InvalidSettingException extends IllegalArgumentException {

	private final String service;

	/**
	 * Creates the exception.
	 * @param service the service whose settings are invalid
	 * @param problem what is wrong, naming the key and what is expected
	 */
	public InvalidSettingException(String service, String problem) {
		super(problem);
		this.service = service;
	}

	/**
	 * The service whose settings are invalid.
	 * @return the service name
	 */
	public String service() {
		return this.service;
	}

}
