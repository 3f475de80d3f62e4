package io.farine.rpc;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

import io.farine.amqp.Broker;
import io.farine.amqp.BrokerConnections;
import io.farine.config.FarineProperties;
import io.farine.config.ServiceSettings;
import io.farine.service.JsonCodec;
import io.farine.test.Rabbit;

import org.springframework.amqp.core.DirectExchange;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ReplyQueue} on a real broker, at the edges of its life: a call that reaches it after it
 * closed (a caller racing the application's shutdown) fails at once, rather than waiting for a
 * reply no consumer reads and a timeout no timer sweeps.
 */
class ReplyQueueIntegrationTests {

	private final String service = Rabbit.unique("reply-queue-tests");

	@Test
	void aCallReachingTheReplyQueueAfterItClosedFailsAtOnce() {
		FarineProperties properties = new Binder(
				new MapConfigurationPropertySource(Map.of("farine.defaults.amqp_uri", Rabbit.URI)))
			.bindOrCreate("farine", FarineProperties.class);
		BrokerConnections brokers = new BrokerConnections("reply-queue-tests");
		try {
			ServiceSettings settings = properties.service(this.service);
			Broker broker = brokers.broker(settings);
			broker.admin().declareExchange(new DirectExchange(this.service, false, true));
			ReplyQueue replies = new ReplyQueue(broker, settings, new JsonCodec(new JsonMapper()), Runnable::run,
					brokers.dropped());
			// the first call starts the reply queue's consumer
			replies.send(call(), false, new Outcome(), Map.of());
			replies.close();

			Outcome late = new Outcome();
			replies.send(call(), false, late, Map.of());

			assertThat(late.error).isDone();
			assertThat(late.error.join()).isInstanceOf(RpcException.class)
				.hasMessageContaining("shutting down; no reply of " + this.service + ".ping will be read");
			assertThat(replies.inFlight()).isZero();
		}
		finally {
			brokers.destroy();
			try (Rabbit rabbit = new Rabbit()) {
				rabbit.channel().exchangeDelete(this.service);
			}
			catch (Exception ex) {
				// auto-delete: gone with its last binding
			}
		}
	}

	private RpcTransport.Call call() {
		return new RpcTransport.Call(this.service, "ping", List.of(), Map.of(), Duration.ofSeconds(30), false);
	}

	/** Records how a call ended. */
	private static final class Outcome implements RpcTransport.ReplyListener {

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
