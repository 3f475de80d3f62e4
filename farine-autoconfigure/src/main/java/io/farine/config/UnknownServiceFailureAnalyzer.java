package io.farine.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an unknown {@code --start} name into a report listing the services that exist. */
class UnknownServiceFailureAnalyzer extends AbstractFailureAnalyzer<UnknownServiceException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, UnknownServiceException cause) {
		return new FailureAnalysis(cause.getMessage(), "Name one or more of " + String.join(", ", cause.known())
				+ " in --start (or farine.start), or leave it out to run every service.", cause);
	}

}
