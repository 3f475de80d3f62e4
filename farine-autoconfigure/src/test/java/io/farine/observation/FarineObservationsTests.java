package io.farine.observation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each observation carries when it stops, and that the key values of an endpoint are made
 * once and shared by all its observations rather than made again for every message.
 */
class FarineObservationsTests {

	private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

	private final FarineObservations observations = new FarineObservations(registry());

	private ObservationRegistry registry() {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public void onStop(Observation.Context context) {
				FarineObservationsTests.this.stopped.add(context);
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

		});
		return registry;
	}

	@Test
	void aPublishIsNamedAndTaggedAndCarriesItsHeadersAndRoutingKey() {
		Map<String, Object> headers = new HashMap<>();
		this.observations.publish("orders", "orders.events", "created", headers).start().stop();
		Observation.Context context = this.stopped.get(0);
		assertThat(context.getName()).isEqualTo("farine.publish");
		assertThat(context.getLowCardinalityKeyValues()).containsExactlyInAnyOrder(KeyValue.of("service", "orders"),
				KeyValue.of("exchange", "orders.events"), KeyValue.of("outcome", "success"));
		assertThat(context.getHighCardinalityKeyValues()).containsExactly(KeyValue.of("routing_key", "created"));
		assertThat(context).isInstanceOf(SenderContext.class);
		assertThat(((SenderContext<?>) context).getCarrier()).isSameAs(headers);
	}

	@Test
	void aFailedConsumeIsTaggedAsAFailureAndReadsItsHeaders() {
		Map<String, Object> headers = Map.of("traceparent", "00-1-2-01");
		Observation observation = this.observations.consume("orders", "orders_queue", headers).start();
		observation.error(new IllegalStateException("failing on purpose"));
		observation.stop();
		Observation.Context context = this.stopped.get(0);
		assertThat(context.getName()).isEqualTo("farine.consume");
		assertThat(context.getLowCardinalityKeyValues()).containsExactlyInAnyOrder(KeyValue.of("service", "orders"),
				KeyValue.of("queue", "orders_queue"), KeyValue.of("outcome", "failure"));
		assertThat(context).isInstanceOf(ReceiverContext.class);
		assertThat(((ReceiverContext<?>) context).getCarrier()).isSameAs(headers);
	}

	@Test
	void everyKindIsTaggedWithItsServiceEndpointAndOutcome() {
		this.observations.rpcClient("billing", "charge", new HashMap<>()).start().stop();
		this.observations.rpcServer("billing", "charge", Map.of()).start().stop();
		this.observations.sse("feed", "onEvent").start().stop();
		this.observations.execute("feed", "poll").start().stop();
		this.observations.event("feed", "onTick").start().stop();
		this.observations.query("feed", "status").start().stop();
		assertThat(this.stopped).extracting(Observation.Context::getName)
			.containsExactly("farine.rpc.client", "farine.rpc.server", "farine.sse", "farine.execute",
					"farine.cluster.event", "farine.cluster.query");
		assertThat(this.stopped).extracting((context) -> context.getLowCardinalityKeyValues())
			.containsExactly(keys("billing", "charge"), keys("billing", "charge"), keys("feed", "onEvent"),
					keys("feed", "poll"), keys("feed", "onTick"), keys("feed", "status"));
	}

	@Test
	void theKeyValuesOfAnEndpointAreMadeOnceForAllItsMessages() {
		for (int i = 0; i < 2; i++) {
			this.observations.consume("orders", "orders_queue", Map.of()).start().stop();
			this.observations.publish("orders", "orders.events", "key-" + i, new HashMap<>()).start().stop();
		}
		Observation.Context firstConsume = this.stopped.get(0);
		Observation.Context secondConsume = this.stopped.get(2);
		for (String key : List.of("service", "queue", "outcome")) {
			assertThat(secondConsume.getLowCardinalityKeyValue(key)).as(key)
				.isSameAs(firstConsume.getLowCardinalityKeyValue(key));
		}
		assertThat(this.stopped.get(3).getLowCardinalityKeyValue("exchange"))
			.isSameAs(this.stopped.get(1).getLowCardinalityKeyValue("exchange"));
	}

	@Test
	void withoutARegistryEveryObservationIsTheNoOpOne() {
		assertThat(FarineObservations.NONE.enabled()).isFalse();
		assertThat(FarineObservations.NONE.publish("orders", "orders.events", "created", new HashMap<>()).isNoop())
			.isTrue();
		assertThat(FarineObservations.NONE.consume("orders", "orders_queue", Map.of())).isSameAs(Observation.NOOP);
		assertThat(FarineObservations.NONE.rpcClient("billing", "charge", new HashMap<>()).isNoop()).isTrue();
	}

	private static KeyValues keys(String service, String method) {
		return KeyValues.of(KeyValue.of("service", service), KeyValue.of("method", method),
				KeyValue.of("outcome", "success"));
	}

}
