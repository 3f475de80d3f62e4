package io.farine.registry;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a {@code /provide} exposed without a token into a report with the two ways out. */
class ProvideUnprotectedFailureAnalyzer extends AbstractFailureAnalyzer<ProvideUnprotectedException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ProvideUnprotectedException cause) {
		return new FailureAnalysis(cause.getMessage(), "Do one of these in the [DEFAULT] section of farine.ini:\n"
				+ " - set provide_token to a shared secret (farine.defaults.provide-token); callers send it as "
				+ "?token=... or Authorization: Bearer ...;\n"
				+ " - set provide_host to a loopback address (127.0.0.1, the default) instead of " + cause.host()
				+ ", so that only this machine reaches /provide.", cause);
	}

}
