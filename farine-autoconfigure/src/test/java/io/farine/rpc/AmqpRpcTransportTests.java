package io.farine.rpc;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

import io.farine.amqp.BrokerConnections;
import io.farine.config.FarineProperties;
import io.farine.observation.FarineObservations;
import io.farine.registry.RegistryListener;
import io.farine.registry.RegistryState;
import io.farine.registry.ServiceInstance;
import io.farine.registry.ServiceRegistry;
import io.farine.service.FarineThreads;
import io.farine.service.JsonCodec;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checks {@link AmqpRpcTransport} makes before a request leaves, without a broker: a call to a
 * service the registry knows no live instance of fails at once.
 */
class AmqpRpcTransportTests {

	@Test
	void theRegistryIsLookedUpOnceNotAtEveryCall() throws Exception {
		AtomicInteger lookups = new AtomicInteger();
		ServiceRegistry empty = new EmptyRegistry();
		try (AmqpRpcTransport transport = new AmqpRpcTransport(
				new Binder(new MapConfigurationPropertySource(Map.of())).bindOrCreate("farine", FarineProperties.class),
				new BrokerConnections("transport-tests"), new JsonCodec(new JsonMapper()), () -> {
					lookups.incrementAndGet();
					return empty;
				}, FarineObservations.NONE, new FarineThreads())) {
			for (int i = 0; i < 3; i++) {
				Failure failure = new Failure();
				transport.send(new RpcTransport.Call("absent", "ping", List.of(), Map.of(), Duration.ofSeconds(1), false),
						failure);
				assertThat(failure.error.get()).isInstanceOf(RpcUnroutableException.class)
					.hasMessageContaining("No live instance of service 'absent'");
			}
		}
		assertThat(lookups).hasValue(1);
	}

	/** A synced registry that knows no instance of anything. */
	private static final class EmptyRegistry implements ServiceRegistry {

		@Override
		public List<ServiceInstance> instances(String service) {
			return List.of();
		}

		@Override
		public Map<String, List<ServiceInstance>> services() {
			return Map.of();
		}

		@Override
		public Runnable addListener(RegistryListener listener) {
			return () -> {
			};
		}

		@Override
		public boolean synced() {
			return true;
		}

		@Override
		public RegistryState state() {
			return RegistryState.REGISTERED;
		}

	}

	/** A listener expecting the call to fail. */
	private static final class Failure implements RpcTransport.ReplyListener {

		final CompletableFuture<Throwable> error = new CompletableFuture<>();

		@Override
		public JavaType itemType() {
			return new JsonMapper().constructType(Object.class);
		}

		@Override
		public void item(@Nullable Object item) {
			this.error.completeExceptionally(new AssertionError("unexpected item " + item));
		}

		@Override
		public void end() {
			this.error.completeExceptionally(new AssertionError("unexpected end"));
		}

		@Override
		public void error(RpcException error) {
			this.error.complete(error);
		}

	}

}
