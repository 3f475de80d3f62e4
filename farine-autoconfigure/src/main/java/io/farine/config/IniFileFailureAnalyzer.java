package io.farine.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a missing or unreadable {@code FARINE_INI} file into a start-up report that says what to do.
 */
class IniFileFailureAnalyzer extends AbstractFailureAnalyzer<IniFileNotFoundException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, IniFileNotFoundException cause) {
		return new FailureAnalysis(cause.getMessage() + ".",
				"Set FARINE_INI to an existing, readable farine.ini file, or unset it to use /etc/farine.ini "
						+ "or farine.ini on the classpath.",
				cause);
	}

}
