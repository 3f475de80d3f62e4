package io.farine.rpc;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.farine.autoconfigure.FarineAutoConfiguration;
import io.farine.test.Rabbit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * RPC between a server context and a client context against the local RabbitMQ. Each test has its
 * own service name, so its exchange and queues are its own.
 */
class RpcIntegrationTests {

	private String service;

	private ApplicationContextRunner server;

	private ApplicationContextRunner client;

	@BeforeEach
	void names() {
		this.service = Rabbit.unique("calc");
		this.server = runner().withUserConfiguration(Calculator.class);
		this.client = runner().withUserConfiguration(Clients.class);
	}

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FarineAutoConfiguration.class))
			.withPropertyValues("farine.defaults.amqp_uri=" + Rabbit.URI, "t.service=" + this.service);
	}

	@AfterEach
	void cleanUp() throws Exception {
		try (Rabbit rabbit = new Rabbit()) {
			rabbit.deleteQuietly(Calculator.queues(this.service));
			rabbit.deleteExchangeQuietly(this.service);
		}
	}

	/** Runs a server context and, inside it, a client context: two applications on one broker. */
	private void withServerAndClient(ClientTest test) {
		this.server.run((server) -> {
			assertThat(server).hasNotFailed();
			this.client.run((client) -> {
				assertThat(client).hasNotFailed();
				test.run(client.getBean(CalculatorClient.class), client.getBean(Clients.class).calculator,
						client.getBean(RpcClientFactory.class));
			});
		});
	}

	@Test
	void scalarsRecordsMapsAndListsMakeTheRoundTrip() {
		withServerAndClient((calculator, dynamic, factory) -> {
			assertThat(calculator.add(2, 3)).isEqualTo(5);
			assertThat(calculator.translate(new Calculator.Point(1, 2), 10)).isEqualTo(new Calculator.Point(11, 2));
			assertThat(calculator.group(List.of(1, 2, 3, 4))).isEqualTo(Map.of("even", List.of(2, 4), "odd", List.of(1, 3)));
			assertThat(calculator.addTwice(1, 2)).isEqualTo(5);
			assertThat(dynamic.call("add", Integer.class, 40, 2)).isEqualTo(42);
			assertThat(dynamic.call("list", 3).toString()).isEqualTo("[0,1,2]");
			assertThat(dynamic.call("many", List.of("a", 1, true, Map.of("k", "v"))).toString())
				.isEqualTo("[\"a\",1,true,{\"k\":\"v\"}]");
			assertThat(dynamic.call("renamed", String.class)).isEqualTo("renamed");
			assertThat(calculator.renamed()).isEqualTo("renamed");
			assertThat(dynamic.call("mono", String.class, "abc")).isEqualTo("ABC");
			assertThat(dynamic.call("future", Integer.class, 21)).isEqualTo(42);
			assertThat(calculator.echo(1, "two").toString()).isEqualTo("{\"args\":[1,\"two\"],\"kwargs\":{}}");
		});
	}

	@Test
	void aDecimalKeepsEveryDigitThereAndBack() {
		withServerAndClient((calculator, dynamic, factory) -> {
			BigDecimal amount = new BigDecimal("0.10000000000000000000001");
			assertThat(dynamic.call("exact", BigDecimal.class, amount)).isEqualTo(amount);
			assertThat(dynamic.request("exact").args(amount).callAsync(BigDecimal.class).join())
				.isEqualTo(amount);
		});
	}

	@Test
	void keywordArgumentsArriveByParameterName() {
		withServerAndClient((calculator, dynamic, factory) -> {
			assertThat(dynamic.request("add").kwarg("b", 2).kwarg("a", 40).call(Integer.class)).isEqualTo(42);
			assertThat(dynamic.request("add").args(40).kwarg("b", 2).call(Integer.class)).isEqualTo(42);
			assertThat(dynamic.request("greet").args("ada").call(String.class)).isEqualTo("hello ada");
			assertThat(dynamic.request("greet").args("ada").kwarg("greeting", "hi").call(String.class))
				.isEqualTo("hi ada");
			assertThat(dynamic.request("echo").args(1).kwarg("x", List.of()).call().toString())
				.isEqualTo("{\"args\":[1],\"kwargs\":{\"x\":[]}}");
		});
	}

	@Test
	void wrongArgumentsAreErrorRepliesNamingTheProblem() {
		withServerAndClient((calculator, dynamic, factory) -> {
			assertRemote(() -> dynamic.call("add", 1), "is missing argument 'b'");
			assertRemote(() -> dynamic.call("add", 1, 2, 3), "takes 2 arguments but 3 were given");
			assertRemote(() -> dynamic.request("add").args(1, 2).kwarg("c", 3).call(), "unexpected keyword argument(s) [c]");
			assertRemote(() -> dynamic.request("add").args(1, 2).kwarg("a", 3).call(), "multiple values for argument 'a'");
			assertRemote(() -> dynamic.call("add", "one", 2), "Cannot convert \"one\" to int");
			// the server is still serving
			assertThat(calculator.add(1, 1)).isEqualTo(2);
		});
	}

	private static void assertRemote(Runnable call, String message) {
		assertThatThrownBy(call::run).isInstanceOfSatisfying(RpcRemoteException.class, (ex) -> {
			assertThat(ex.getRemoteType()).isEqualTo("io.farine.service.ArgumentConversionException");
			assertThat(ex.getRemoteMessage()).contains(message);
		});
	}

	@Test
	void falsyResultsAreItemsNotDropped() {
		withServerAndClient((calculator, dynamic, factory) -> {
			assertThat(dynamic.call("falsy", "zero").toString()).isEqualTo("0");
			assertThat(dynamic.call("falsy", "empty").toString()).isEqualTo("\"\"");
			assertThat(dynamic.call("falsy", "false").toString()).isEqualTo("false");
			assertThat(dynamic.call("falsy", "list").toString()).isEqualTo("[]");
			assertThat(dynamic.call("falsy", "map").toString()).isEqualTo("{}");
			assertThat(dynamic.call("falsy", "null").isNull()).isTrue();
			assertThat(dynamic.stream("falsy", Object.class, "zero").toList()).containsExactly(0);
		});
	}

	@Test
	void streamsOfZeroOneAndTenThousandItemsArriveInOrder() {
		withServerAndClient((calculator, dynamic, factory) -> {
			assertThat(calculator.count(0)).isEmpty();
			assertThat(calculator.count(1)).containsExactly(0);
			try (Stream<Integer> items = calculator.count(10_000)) {
				assertThat(items.toList()).isEqualTo(IntStream.range(0, 10_000).boxed().toList());
			}
			assertThat(calculator.countFlux(5).collectList().block()).containsExactly(0, 1, 2, 3, 4);
			assertThat(dynamic.stream("iterable", Integer.class, 3)).containsExactly(0, 1, 2);
			assertThat(dynamic.stream("letters", String.class)).containsExactly("a", "b", "c");
			assertThat(dynamic.request("flux").args(4).flux(Integer.class).collectList().block()).containsExactly(0, 1, 2, 3);
			// a streaming method called for one value: the first item
			assertThat(dynamic.call("count", Integer.class, 3)).isEqualTo(0);
			// its call ends with the end frame, read after the first item was handed out
			await().atMost(Duration.ofSeconds(5)).until(() -> factory.inFlight() == 0);
		});
	}

	@Test
	void aThrowingMethodReachesTheCallerWithItsTypeAndMessage() {
		withServerAndClient((calculator, dynamic, factory) -> {
			assertThatThrownBy(calculator::boom).isInstanceOfSatisfying(RpcRemoteException.class, (ex) -> {
				assertThat(ex.getRemoteType()).isEqualTo("java.lang.IllegalStateException");
				assertThat(ex.getRemoteMessage()).isEqualTo("boom");
				assertThat(ex.getRemoteText()).isEqualTo("java.lang.IllegalStateException: boom");
				assertThat(ex.getService()).isEqualTo(this.service);
				assertThat(ex.getMethod()).isEqualTo("boom");
				assertThat(ex).hasMessage(this.service + ".boom failed: java.lang.IllegalStateException: boom");
			});
			List<Integer> received = new ArrayList<>();
			assertThatThrownBy(() -> dynamic.stream("failAfter", Integer.class, 3).forEach(received::add))
				.isInstanceOfSatisfying(RpcRemoteException.class,
						(ex) -> assertThat(ex.getRemoteMessage()).isEqualTo("failed after 3"));
			assertThat(received).containsExactly(0, 1, 2);
		});
	}

	@Test
	void anErrorThrownByAMethodStillReachesTheCaller() {
		withServerAndClient((calculator, dynamic, factory) -> assertThatThrownBy(() -> dynamic.call("overflow"))
			.isInstanceOfSatisfying(RpcRemoteException.class,
					(ex) -> assertThat(ex.getRemoteType()).isEqualTo("java.lang.StackOverflowError")));
	}

	@Test
	void aStreamWhoseNextItemComesLaterThanTheCallerWaitsStopsOnTheServer() {
		this.server.run((server) -> this.client.run((client) -> {
			RpcOperations dynamic = client.getBean(Clients.class).calculator;
			try (Stream<Integer> items = dynamic.request("stalling").args(1_000).timeout(Duration.ofMillis(300))
				.stream(Integer.class)) {
				assertThatThrownBy(items::toList).isInstanceOf(RpcTimeoutException.class);
			}
			Calculator calculator = server.getBean(Calculator.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> calculator.stallingClosed);
			// the caller had given up when the fourth item came: nothing after it was made or sent
			assertThat(calculator.madeAfterStall.get()).isZero();
		}));
	}

	@Test
	void aBlockingCallInTheCallbackOfATimedOutCallWorks() {
		withServerAndClient((calculator, dynamic, factory) -> {
			CompletableFuture<String> recovered = dynamic.request("slow")
				.args(1_000)
				.timeout(Duration.ofMillis(100))
				.callAsync(String.class)
				.exceptionally((failure) -> "recovered " + calculator.add(1, 2));
			assertThat(recovered.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("recovered 3");
			// and timeouts still work afterwards
			assertThatThrownBy(() -> dynamic.request("slow").args(1_000).timeout(Duration.ofMillis(100)).call())
				.isInstanceOf(RpcTimeoutException.class);
		});
	}

	@Test
	void stackTracesAreSentOnlyWhenConfigured() {
		this.server = this.server.withPropertyValues("farine.services." + this.service + ".rpc_stack_trace=true");
		withServerAndClient((calculator, dynamic, factory) -> assertThatThrownBy(calculator::boom)
			.isInstanceOfSatisfying(RpcRemoteException.class, (ex) -> {
				assertThat(ex.getRemoteType()).isEqualTo("java.lang.IllegalStateException");
				assertThat(ex.getRemoteMessage()).isEqualTo("boom");
				assertThat(ex.getRemoteText()).startsWith("java.lang.IllegalStateException: boom")
					.contains("\tat io.farine.rpc.Calculator.boom(");
			}));
	}

	@Test
	void asyncAndReactiveResults() throws Exception {
		withServerAndClient((calculator, dynamic, factory) -> {
			List<CompletableFuture<Integer>> futures = IntStream.range(0, 100)
				.mapToObj((i) -> calculator.addAsync(i, i))
				.toList();
			for (int i = 0; i < futures.size(); i++) {
				assertThat(futures.get(i).get()).isEqualTo(2 * i);
			}
			assertThat(calculator.addMono(20, 22).block()).isEqualTo(42);
			assertThat(dynamic.callAsync("add", Integer.class, 1, 2).get()).isEqualTo(3);
		});
	}

	@Test
	void aBlockingCallInsideACallbackFailsAtOnceInsteadOfStallingReplies() {
		this.server.run((server) -> this.client.run((client) -> {
			CalculatorClient calculator = client.getBean(CalculatorClient.class);
			// the reply is held until the callback is attached, so the callback runs on the thread that reads it
			CompletableFuture<Integer> held = client.getBean(Clients.class).calculator.callAsync("gated", Integer.class, 3);
			CompletableFuture<Integer> nested = held.thenApply((n) -> calculator.add(n, 1));
			server.getBean(Calculator.class).gate.countDown();
			assertThatThrownBy(nested::join).cause()
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("on the thread that reads RPC replies");
			assertThat(calculator.addAsync(1, 2).thenApplyAsync((sum) -> calculator.add(sum, 1)).join()).isEqualTo(4);
		}));
	}

	@Test
	void aSlowMethodTimesOutNamingServiceMethodAndTime() {
		withServerAndClient((calculator, dynamic, factory) -> {
			assertThatThrownBy(() -> calculator.slow(2_000)).isInstanceOfSatisfying(RpcTimeoutException.class, (ex) -> {
				assertThat(ex).hasMessage(this.service + ".slow did not reply within 300 ms");
				assertThat(ex.getTimeout()).isEqualTo(Duration.ofMillis(300));
			});
			assertThat(factory.inFlight()).isZero();
			assertThatThrownBy(() -> dynamic.request("slow").args(2_000).timeout(Duration.ofMillis(200)).callAsync(String.class).join())
				.hasCauseInstanceOf(RpcTimeoutException.class);
		});
	}

	@Test
	void aStreamWaitsForEachItemAtMostTheTimeout() {
		this.client = this.client.withPropertyValues("farine.services." + this.service + ".rpc_timeout=300ms");
		withServerAndClient((calculator, dynamic, factory) -> assertThatThrownBy(
				() -> dynamic.stream("slow", String.class, 2_000).toList())
			.isInstanceOf(RpcTimeoutException.class)
			.hasMessage(this.service + ".slow did not reply within 300 ms"));
	}

	@Test
	void aRequestWhoseCallerGaveUpIsNeverRun() {
		this.server.run((first) -> {
			// declares the queue
		});
		this.client.run((client) -> {
			RpcOperations dynamic = client.getBean(Clients.class).calculator;
			assertThatThrownBy(() -> dynamic.request("slow").args(0).timeout(Duration.ofMillis(200)).call())
				.isInstanceOf(RpcTimeoutException.class);
			this.server.run((server) -> {
				assertThat(dynamic.call("add", Integer.class, 1, 1)).isEqualTo(2);
				assertThat(server.getBean(Calculator.class).slowCalls).hasValue(0);
			});
		});
	}

	@Test
	void anUnknownMethodFailsFastInsteadOfTimingOut() {
		this.client = this.client.withPropertyValues("farine.services." + this.service + ".rpc_timeout=60");
		withServerAndClient((calculator, dynamic, factory) -> {
			long start = System.nanoTime();
			assertThatThrownBy(() -> dynamic.call("nope")).isInstanceOf(RpcUnroutableException.class)
				.hasMessageContaining("no queue is bound to exchange '" + this.service + "' with key '" + this.service
						+ "__nope'");
			assertThatThrownBy(() -> dynamic.stream("nope", Integer.class).toList())
				.isInstanceOf(RpcUnroutableException.class);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
			assertThat(factory.inFlight()).isZero();
		});
	}

	@Test
	void anUnknownServiceFailsFast() {
		this.client.withPropertyValues("farine.defaults.rpc_timeout=60").run((client) -> {
			RpcOperations nobody = client.getBean(RpcClientFactory.class).operations(Rabbit.unique("nobody"));
			long start = System.nanoTime();
			assertThatThrownBy(() -> nobody.call("anything")).isInstanceOf(RpcUnroutableException.class)
				.hasMessageContaining("NOT_FOUND");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
		});
	}

	@Test
	void manyConcurrentCallersShareOneClient() throws Exception {
		withServerAndClient((calculator, dynamic, factory) -> {
			ExecutorService callers = Executors.newFixedThreadPool(16);
			try {
				List<Future<Boolean>> results = new ArrayList<>();
				for (int t = 0; t < 16; t++) {
					int base = t * 1000;
					results.add(callers.submit(() -> {
						for (int i = 0; i < 100; i++) {
							if (calculator.add(base, i) != base + i) {
								return false;
							}
						}
						return true;
					}));
				}
				for (Future<Boolean> result : results) {
					assertThat(result.get()).isTrue();
				}
			}
			finally {
				callers.shutdownNow();
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> factory.inFlight() == 0);
		});
	}

	@Test
	void aCallerThatStopsReadingAStreamLeaksNothing() {
		withServerAndClient((calculator, dynamic, factory) -> {
			try (Stream<Integer> items = calculator.count(10_000)) {
				assertThat(items.limit(5).toList()).containsExactly(0, 1, 2, 3, 4);
			}
			assertThat(factory.inFlight()).isZero();
			assertThat(calculator.countFlux(10_000).take(5).collectList().block()).containsExactly(0, 1, 2, 3, 4);
			await().atMost(Duration.ofSeconds(5)).until(() -> factory.inFlight() == 0);
			// frames still arriving for the abandoned calls are dropped; new calls are unaffected
			assertThat(calculator.add(1, 2)).isEqualTo(3);
		});
	}

	@Test
	void concurrencyRunsCallsOfOneMethodInParallel() {
		this.server = this.server.withPropertyValues("farine.services." + this.service + ".concurrency=4");
		withServerAndClient((calculator, dynamic, factory) -> {
			long start = System.nanoTime();
			List<CompletableFuture<String>> calls = IntStream.range(0, 4)
				.mapToObj((i) -> dynamic.callAsync("slow", String.class, 500))
				.toList();
			calls.forEach(CompletableFuture::join);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1_900));
		});
	}

	interface ClientTest {

		void run(CalculatorClient calculator, RpcOperations dynamic, RpcClientFactory factory) throws Exception;

	}

	@Configuration(proxyBeanMethods = false)
	static class Clients {

		@RpcClient("${t.service}")
		RpcOperations calculator;

		@Bean
		CalculatorClient calculatorClient(RpcClientFactory factory) {
			return factory.client(CalculatorClient.class);
		}

	}

}
