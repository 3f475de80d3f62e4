package io.farine.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an out-of-range setting into a report naming the service and the key. */
class InvalidSettingFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSettingException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidSettingException cause) {
		return new FailureAnalysis("A farine setting is not valid: " + cause.getMessage(),
				"Fix the key in the [" + cause.service() + "] section (or [DEFAULT]) of farine.ini, or the property "
						+ "farine.services." + cause.service() + ".<key> (farine.defaults.<key>) where it is set.",
				cause);
	}

}
