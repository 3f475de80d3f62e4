package io.farine.jdbc;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns invalid or conflicting {@code db_*} keys into a start-up report naming each key, where it
 * was set and what is expected.
 */
class DatabaseSettingsFailureAnalyzer extends AbstractFailureAnalyzer<DatabaseSettingsException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, DatabaseSettingsException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
	}

}
