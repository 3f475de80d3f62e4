package io.farine.config;

import org.jspecify.annotations.Nullable;

/**
 * Thrown at start-up when a service's settings are out of range (a delay of zero, an unknown
 * value, ...); its report names the service and the key.
 */
public class InvalidSettingException extends IllegalArgumentException {

	private final String service;

	private final @Nullable String key;

	/**
	 * Creates the exception.
	 * @param service the service whose settings are invalid
	 * @param problem what is wrong, naming the key and what is expected
	 */
	public InvalidSettingException(String service, String problem) {
		this(service, null, problem);
	}

	/**
	 * Creates the exception for one key, so that its report says where the key was set.
	 * @param service the service whose settings are invalid
	 * @param key the INI key, such as {@code delivery_mode}, if one is at fault
	 * @param problem what is wrong, naming the key and what is expected
	 */
	public InvalidSettingException(String service, @Nullable String key, String problem) {
		super(problem);
		this.service = service;
		this.key = key;
	}

	/**
	 * The INI key at fault, if one is.
	 * @return the key, or {@code null}
	 */
	public @Nullable String key() {
		return this.key;
	}

	/**
	 * The service whose settings are invalid.
	 * @return the service name
	 */
	public String service() {
		return this.service;
	}

}
