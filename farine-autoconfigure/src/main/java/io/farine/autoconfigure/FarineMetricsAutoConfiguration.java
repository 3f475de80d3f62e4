package io.farine.autoconfigure;

import io.farine.amqp.BrokerConnections;
import io.farine.amqp.DroppedMessages;
import io.farine.rpc.RpcClientFactory;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * farine's gauges, with Micrometer on the classpath: every {@code MeterRegistry} Spring Boot
 * configures binds them. The timers come from farine's observations instead
 * ({@link io.farine.observation.FarineObservation}).
 * <ul>
 * <li>{@code farine.rpc.client.in_flight}: RPC calls waiting for their reply;</li>
 * <li>{@code farine.publish.unroutable}: publishes that are not mandatory and that no queue received;</li>
 * <li>{@code farine.inbound.dropped}: inbound messages dropped, tagged by {@code path} and
 * {@code reason} ({@link DroppedMessages.Reason}).</li>
 * </ul>
 * The runtime objects that are not part of farine's API bind their own meters, each bean
 * replaceable by name as this one ({@code farineMeterBinder}) is: {@code farineAmqpMeterBinder}
 * ({@code farine.consumers}: consumers taking messages for {@code @Consume} methods) and
 * {@code farineOutboxMeterBinder} ({@code farine.outbox.backlog}: messages waiting in the outbox
 * table; {@code farine.outbox.parked}: outbox rows parked because the broker refused them for good).
 */
@AutoConfiguration(after = { FarineAutoConfiguration.class, FarineOutboxAutoConfiguration.class })
@ConditionalOnClass(MeterBinder.class)
public final class FarineMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "farineMeterBinder")
	MeterBinder farineMeterBinder(ObjectProvider<RpcClientFactory> rpcClients,
			ObjectProvider<BrokerConnections> brokers) {
		return (registry) -> {
			brokers.ifAvailable((connections) -> FunctionCounter
				.builder("farine.publish.unroutable", connections, BrokerConnections::unroutablePublishes)
				.description("Publishes that are not mandatory and that no queue received")
				.register(registry));
			brokers.ifAvailable((connections) -> {
				for (DroppedMessages.Reason reason : DroppedMessages.Reason.values()) {
					FunctionCounter.builder("farine.inbound.dropped", connections.dropped(), (dropped) -> dropped.count(reason))
						.description("Inbound messages dropped without a sender to tell: too large, or for no query or call")
						.tags("path", reason.path(), "reason", reason.reason())
						.register(registry);
				}
			});
			rpcClients.ifAvailable((clients) -> Gauge.builder("farine.rpc.client.in_flight", clients,
					RpcClientFactory::inFlight)
				.description("RPC calls waiting for their reply")
				.register(registry));
		};
	}

}
