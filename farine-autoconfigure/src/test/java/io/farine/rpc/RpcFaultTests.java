package io.farine.rpc;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.farine.autoconfigure.FarineAutoConfiguration;
import io.farine.test.Rabbit;
import io.farine.test.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * RPC when the network fails: the client's or the server's connection to the broker goes through
 * a TCP proxy that cuts it. Calls in flight fail at once instead of waiting for their timeout, and
 * calls work again as soon as the connection is back.
 */
class RpcFaultTests {

	private final String service = Rabbit.unique("fault");

	@AfterEach
	void cleanUp() throws Exception {
		try (Rabbit rabbit = new Rabbit()) {
			rabbit.deleteQuietly(Calculator.queues(this.service));
			rabbit.deleteExchangeQuietly(this.service);
		}
	}

	private ApplicationContextRunner runner(String uri) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FarineAutoConfiguration.class))
			.withPropertyValues("farine.defaults.amqp_uri=" + uri, "t.service=" + this.service,
					"farine.defaults.rpc_timeout=60");
	}

	@Test
	void aCallInFlightFailsAtOnceWhenTheClientLosesItsConnectionAndLaterCallsWork() throws Exception {
		try (TcpProxy proxy = new TcpProxy(5672)) {
			runner(Rabbit.URI).withUserConfiguration(Calculator.class).run((server) -> runner(
					"amqp://guest:guest@127.0.0.1:" + proxy.port())
				.withUserConfiguration(RpcIntegrationTests.Clients.class)
				.run((client) -> {
					RpcOperations calculator = client.getBean(RpcIntegrationTests.Clients.class).calculator;
					assertThat(calculator.call("add", Integer.class, 1, 2)).isEqualTo(3);
					CompletableFuture<String> slow = calculator.callAsync("slow", String.class, 3_000);
					await().atMost(Duration.ofSeconds(10))
						.until(() -> server.getBean(Calculator.class).slowCalls.get() == 1);
					long cut = System.nanoTime();
					proxy.cutConnections();
					assertThatThrownBy(slow::join).cause()
						.isInstanceOf(RpcException.class)
						.hasMessageContaining("connection to the broker was lost");
					assertThat(Duration.ofNanos(System.nanoTime() - cut)).isLessThan(Duration.ofSeconds(10));
					await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
						.until(() -> calculator.request("add").args(2, 2).timeout(Duration.ofSeconds(2))
							.call(Integer.class) == 4);
				}));
		}
	}

	@Test
	void aCallBeingServedWhenTheServersConnectionIsCutStillGetsItsReply() throws Exception {
		try (TcpProxy proxy = new TcpProxy(5672)) {
			runner("amqp://guest:guest@127.0.0.1:" + proxy.port()).withUserConfiguration(Calculator.class)
				.run((server) -> runner(Rabbit.URI).withUserConfiguration(RpcIntegrationTests.Clients.class)
					.run((client) -> {
						RpcOperations calculator = client.getBean(RpcIntegrationTests.Clients.class).calculator;
						CompletableFuture<String> slow = calculator.callAsync("slow", String.class, 3_000);
						await().atMost(Duration.ofSeconds(10))
							.until(() -> server.getBean(Calculator.class).slowCalls.get() == 1);
						// the request's channel dies while the method runs: its reply goes another way
						proxy.cutConnections();
						assertThat(slow.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("done");
						assertThat(server.getBean(Calculator.class).slowCalls).hasValue(1);
					}));
		}
	}

	@Test
	void theServerServesAgainAfterItsConnectionIsCut() throws Exception {
		try (TcpProxy proxy = new TcpProxy(5672)) {
			runner("amqp://guest:guest@127.0.0.1:" + proxy.port()).withUserConfiguration(Calculator.class)
				.run((server) -> runner(Rabbit.URI).withUserConfiguration(RpcIntegrationTests.Clients.class)
					.run((client) -> {
						RpcOperations calculator = client.getBean(RpcIntegrationTests.Clients.class).calculator;
						assertThat(calculator.call("add", Integer.class, 1, 2)).isEqualTo(3);
						int before = proxy.cutConnections();
						await().atMost(Duration.ofSeconds(30)).until(() -> proxy.acceptedConnections() > before);
						await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
							.until(() -> calculator.request("add").args(5, 5).timeout(Duration.ofSeconds(2))
								.call(Integer.class) == 10);
					}));
		}
	}

}
