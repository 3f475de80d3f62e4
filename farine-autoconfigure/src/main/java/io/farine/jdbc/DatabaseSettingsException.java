package io.farine.jdbc;

/**
 * Thrown at start-up when the {@code db_*} keys cannot make one DataSource: each problem names the
 * section, the key and where it was set, and what is expected. Never carries a password.
 */
class DatabaseSettingsException extends IllegalStateException {

	private final String action;

	DatabaseSettingsException(String description, String action) {
		super(description);
		this.action = action;
	}

	String action() {
		return this.action;
	}

}
