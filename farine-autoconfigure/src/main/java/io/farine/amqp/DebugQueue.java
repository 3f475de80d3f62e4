package io.farine.amqp;

import java.util.Locale;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

import io.farine.config.ExchangeType;
import io.farine.config.ServiceSettings;
import io.farine.service.InvocationTimings;
import io.farine.service.JsonCodec;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Queue;

/**
 * The Python original's {@code __debug__} for a consumer ({@code farine.amqp.Consumer.debug}):
 * after a message whose body is a JSON object carrying a truthy {@code __debug__} was handled,
 * a copy of that body, its {@code __debug__} replaced by the report, goes to the consumer's
 * exchange with routing key {@value DebugReports#ROUTING_KEY}, and the durable queue
 * {@code debug} is declared and bound there with that key first, as the original declares it,
 * so Python tools reading that queue read farine's reports too. The original's report is
 * cProfile's text; this one is the invocation's timings as text. As in the original, a handler
 * that fails sends none (the failure is logged and dead-lettered).
 * <p>
 * Two departures, each to end a loop the original has: a message that arrived with routing key
 * {@code debug} (a report itself, reaching a consumer bound with {@code debug} or {@code #})
 * sends none, and a consumer of a fanout or broadcast exchange sends none (the report would
 * reach every queue of the exchange, its own included, and the durable {@code debug} queue
 * would keep a copy of every message).
 */
final class DebugQueue {

	/** The queue the original declares, and its binding key. */
	static final String NAME = DebugReports.ROUTING_KEY;

	private static final String FLAG = InvocationTimings.FLAG;

	private static final Log logger = LogFactory.getLog(DebugQueue.class);

	private final Broker broker;

	private final ServiceSettings settings;

	private final JsonCodec codec;

	private final String exchange;

	/** Set once the queue and its binding are declared (the original's {@code maybe_declare}). */
	private volatile boolean declared;

	DebugQueue(Broker broker, ServiceSettings settings, JsonCodec codec, String exchange) {
		this.broker = broker;
		this.settings = settings;
		this.codec = codec;
		this.exchange = exchange;
	}

	/**
	 * Sends the report of a message handled, never waited for: a report never slows or fails the
	 * handling, and one that cannot be sent is logged at debug.
	 * @param body the consumed body, a JSON object asking for the report
	 * @param messageId the consumed message's id, for the log, or {@code null}
	 * @param receivedRoutingKey the routing key it arrived with
	 * @param timings where the handling's time went
	 */
	void send(byte[] body, @Nullable String messageId, @Nullable String receivedRoutingKey,
			InvocationTimings timings) {
		if (NAME.equals(receivedRoutingKey) || this.settings.type() == ExchangeType.FANOUT
				|| this.settings.type() == ExchangeType.BROADCAST) {
			return;
		}
		try {
			if (!(this.codec.parse(body) instanceof ObjectNode copy)) {
				return;
			}
			copy.put(FLAG, text(timings.millis()));
			declare();
			OutboundMessage report = new OutboundMessage(this.settings.name(), this.exchange, NAME, Wire.newId(),
					this.settings.deliveryMode() == 2, Map.of(), null, this.codec.write(copy), false);
			this.broker.publish(report, this.settings).whenComplete((ok, error) -> {
				if (error != null) {
					logger.debug("The debug report of message " + messageId + " was not delivered to queue '" + NAME
							+ "': " + error.getMessage());
				}
			});
		}
		catch (RuntimeException ex) {
			logger.warn("The debug report of message " + messageId + " was not sent to exchange '" + this.exchange
					+ "'", ex);
		}
	}

	private void declare() {
		if (this.declared) {
			return;
		}
		var admin = this.broker.admin();
		admin.declareQueue(new Queue(NAME, true, false, false));
		admin.declareBinding(new Binding(NAME, Binding.DestinationType.QUEUE, this.exchange, NAME, null));
		this.declared = true;
	}

	/** The timings as lines of text, where the original put cProfile's. */
	static String text(Map<String, Double> millis) {
		StringBuilder text = new StringBuilder("farine timings (ms)\n");
		millis.forEach((phase, ms) -> text.append(String.format(Locale.ROOT, "%12.3f  %s\n", ms, phase)));
		return text.toString();
	}

}
