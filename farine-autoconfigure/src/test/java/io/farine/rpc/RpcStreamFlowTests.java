package io.farine.rpc;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.farine.autoconfigure.FarineAutoConfiguration;
import io.farine.test.Rabbit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Streams between a server and a client application on the local RabbitMQ, at the reader's pace:
 * a caller that stops reading early makes the server stop soon after, and a reader far slower than
 * its server holds back only its own stream, losing nothing.
 */
class RpcStreamFlowTests {

	private final String service = Rabbit.unique("flow");

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FarineAutoConfiguration.class))
			.withPropertyValues("farine.defaults.amqp_uri=" + Rabbit.URI, "t.service=" + this.service,
					"farine.defaults.rpc_timeout=30");
	}

	@AfterEach
	void cleanUp() throws Exception {
		try (Rabbit rabbit = new Rabbit()) {
			rabbit.deleteQuietly(Calculator.queues(this.service));
			rabbit.deleteExchangeQuietly(this.service);
		}
	}

	@Test
	void closingAMillionItemStreamEarlyStopsTheServerSoonAfter() {
		runner().withUserConfiguration(Calculator.class).run((server) -> runner()
			.withUserConfiguration(RpcIntegrationTests.Clients.class)
			.run((client) -> {
				Calculator calculator = server.getBean(Calculator.class);
				RpcOperations rpc = client.getBean(RpcIntegrationTests.Clients.class).calculator;
				try (Stream<Integer> numbers = rpc.stream("numbers", Integer.class, 1_000_000)) {
					assertThat(numbers.limit(10)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
				}
				assertThat(calculator.numbersClosed.await(30, TimeUnit.SECONDS)).isTrue();
				assertThat(calculator.produced.get()).isLessThan(1_000_000);
			}));
	}

	@Test
	void cancellingAFluxEarlyStopsTheServerSoonAfter() {
		runner().withUserConfiguration(Calculator.class).run((server) -> runner()
			.withUserConfiguration(RpcIntegrationTests.Clients.class)
			.run((client) -> {
				Calculator calculator = server.getBean(Calculator.class);
				Flux<Integer> numbers = client.getBean(RpcIntegrationTests.Clients.class).calculator
					.request("numbers").args(1_000_000).flux(Integer.class);
				assertThat(numbers.take(5).collectList().block(Duration.ofSeconds(30))).containsExactly(0, 1, 2, 3, 4);
				assertThat(calculator.numbersClosed.await(30, TimeUnit.SECONDS)).isTrue();
				assertThat(calculator.produced.get()).isLessThan(1_000_000);
			}));
	}

	@Test
	void aReaderFarSlowerThanItsServerHoldsBackOnlyItsOwnStreamAndLosesNothing() {
		runner().withUserConfiguration(Calculator.class).run((server) -> runner()
			.withUserConfiguration(RpcIntegrationTests.Clients.class)
			.run((client) -> {
				Calculator calculator = server.getBean(Calculator.class);
				RpcOperations rpc = client.getBean(RpcIntegrationTests.Clients.class).calculator;
				int total = 50_000;
				try (Stream<Integer> numbers = rpc.stream("numbers", Integer.class, total)) {
					Iterator<Integer> iterator = numbers.iterator();
					assertThat(iterator.next()).isZero();
					// the server sends everything while the reader takes nothing more: the broker keeps
					// what the client's bounded buffer cannot
					assertThat(calculator.numbersClosed.await(60, TimeUnit.SECONDS)).isTrue();
					assertThat(calculator.produced.get()).isEqualTo(total);
					// other calls are not held up behind the stalled stream
					assertThat(rpc.request("add").args(2, 3).timeout(Duration.ofSeconds(5)).call(Integer.class))
						.isEqualTo(5);
					int expected = 1;
					while (iterator.hasNext()) {
						assertThat(iterator.next()).isEqualTo(expected++);
					}
					assertThat(expected).isEqualTo(total);
				}
			}));
	}

}
