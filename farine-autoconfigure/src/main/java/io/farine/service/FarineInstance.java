package io.farine.service;

/**
 * This running application's instance id, one per application context: the id it registers
 * under in etcd when the registry is on, and the one its publishers name as sender
 * ({@code x-farine-sender-instance}), so a consumer can tell which process sent a message, or
 * that it sent it itself.
 *
 * @param id 32 hex digits
 */
public record FarineInstance(String id) {

	/**
	 * Checks the id.
	 * @param id 32 hex digits
	 */
	public FarineInstance {
		if (id.isBlank()) {
			throw new IllegalArgumentException("An instance id must not be blank");
		}
	}

}
