package io.farine.amqp;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.farine.config.ServiceSettings;
import io.farine.service.InvocationTimings;
import io.farine.service.JsonCodec;

/**
 * Publishes the timings of an RPC request whose body asked for them ({@code "__debug__": true})
 * to the service's exchange with routing key {@value #ROUTING_KEY}: farine's own report (the
 * original profiles consumers only, see {@link DebugQueue}). It carries the timings as text in
 * {@code __debug__} too, so a Python tool reading the original's {@code debug} queue, which
 * receives it when a consumer declared that queue on the same exchange, can print it. Transient
 * and never waited for: a debug report never slows or fails the invocation, and one nobody is
 * bound to receive is dropped with a debug log line.
 * <p>
 * Not part of farine's API: public because RPC servers publish their reports through it.
 */
public final class DebugReports {

	/** The routing key of every report. */
	public static final String ROUTING_KEY = "debug";

	private static final Log logger = LogFactory.getLog(DebugReports.class);

	private DebugReports() {
	}

	/**
	 * Publishes a report.
	 * @param broker the service's broker
	 * @param settings the service's settings
	 * @param codec writes the report
	 * @param kind {@code consume} or {@code rpc}
	 * @param target the queue consumed, or the RPC method
	 * @param id the message id or correlation id
	 * @param failure why the invocation failed, or {@code null}
	 * @param timings the timings
	 */
	public static void publish(Broker broker, ServiceSettings settings, JsonCodec codec, String kind, String target,
			@Nullable String id, @Nullable Throwable failure, InvocationTimings timings) {
		Map<String, Object> report = new LinkedHashMap<>();
		report.put("service", settings.name());
		report.put("kind", kind);
		report.put("target", target);
		report.put("id", id);
		report.put("outcome", (failure == null) ? "success" : "failure");
		if (failure != null) {
			report.put("error", failure.getClass().getName());
		}
		Map<String, Double> millis = timings.millis();
		report.put("timings_ms", millis);
		report.put(InvocationTimings.FLAG, DebugQueue.text(millis));
		OutboundMessage message = new OutboundMessage(settings.name(), settings.name(), ROUTING_KEY, Wire.newId(),
				false, Map.of(), null, codec.write(report));
		broker.publish(message, settings).whenComplete((ok, error) -> {
			if (error != null) {
				logger.debug("The debug report of " + kind + " " + target + " was not delivered: " + error.getMessage());
			}
		});
	}

}
