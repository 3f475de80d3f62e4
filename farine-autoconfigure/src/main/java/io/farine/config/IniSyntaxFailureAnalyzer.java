package io.farine.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a syntax error in the farine INI file into a start-up report naming the file and line.
 */
class IniSyntaxFailureAnalyzer extends AbstractFailureAnalyzer<IniSyntaxException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, IniSyntaxException cause) {
		return new FailureAnalysis("The farine INI file is not valid: " + cause.getMessage(),
				"Fix line " + cause.getLine() + " of " + cause.getFile()
						+ ": every option must be 'name = value' under a [section], and continuation lines must be indented.",
				cause);
	}

}
