package io.farine.config;

import java.nio.file.Path;

/**
 * Thrown at start-up when {@code FARINE_INI} names a file that does not exist or cannot be read:
 * the user asked for that file, so starting without it would hide a mistake.
 */
public class IniFileNotFoundException extends RuntimeException {

	private final Path path;

	IniFileNotFoundException(Path path, String problem, Throwable cause) {
		super("FARINE_INI points at " + path + ", which " + problem, cause);
		this.path = path;
	}

	/**
	 * The path {@code FARINE_INI} named.
	 * @return the path
	 */
	public Path getPath() {
		return this.path;
	}

}
