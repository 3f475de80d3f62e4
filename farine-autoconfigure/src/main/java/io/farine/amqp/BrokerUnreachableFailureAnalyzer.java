package io.farine.amqp;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an unreachable broker at start-up into a report with the three ways out. */
class BrokerUnreachableFailureAnalyzer extends AbstractFailureAnalyzer<BrokerUnreachableException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, BrokerUnreachableException cause) {
		return new FailureAnalysis(cause.getMessage(), "Do one of these:\n"
				+ " - start RabbitMQ at " + cause.address() + " (on Debian: apt-get install rabbitmq-server);\n"
				+ " - set amqp_uri in the [" + cause.service() + "] section (or [DEFAULT]) of farine.ini to a broker "
				+ "that runs;\n"
				+ " - for development, add the dependency io.farine:farine-dev (optional): it starts an embedded broker "
				+ "when none listens on a loopback address.\n"
				+ "If the broker starts after the service, set amqp_wait_at_start = <seconds> to wait for it.", cause);
	}

}
