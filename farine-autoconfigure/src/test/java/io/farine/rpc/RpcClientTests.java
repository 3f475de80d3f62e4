package io.farine.rpc;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import io.farine.config.FarineProperties;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Typed clients and {@link RpcOperations} against a recording transport: what each method sends,
 * and how frames become results. No broker.
 */
@SuppressWarnings("unchecked")
class RpcClientTests {

	private final TestRpcTransport transport = new TestRpcTransport();

	private final RpcClientFactory factory = new RpcClientFactory(properties(Map.of("farine.defaults.rpc-timeout", "7")),
			(text) -> text.replace("${service}", "orders"), this.transport, new JsonMapper());

	private static FarineProperties properties(Map<String, String> values) {
		return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("farine", FarineProperties.class);
	}

	@Test
	void aBlockingMethodSendsItsArgumentsInOrderAndReturnsTheConvertedItem() throws Exception {
		Orders orders = this.factory.client(Orders.class);
		CompletableFuture<Price> price = CompletableFuture.supplyAsync(() -> orders.quote("sku-1", 2));
		TestRpcTransport.Sent sent = this.transport.next();
		assertThat(sent.call().service()).isEqualTo("orders");
		assertThat(sent.call().method()).isEqualTo("quote");
		assertThat((List<Object>) sent.call().args()).containsExactly("sku-1", 2);
		assertThat(sent.call().kwargs()).isEmpty();
		assertThat(sent.call().timeout()).isEqualTo(Duration.ofSeconds(7));
		sent.item("{\"sku\":\"sku-1\",\"cents\":250}");
		sent.listener().end();
		assertThat(price.get()).isEqualTo(new Price("sku-1", 250));
	}

	@Test
	void namesAndTimeoutsComeFromTheAnnotationsOverTheConfiguration() throws Exception {
		Orders orders = this.factory.client(Orders.class);
		CompletableFuture.runAsync(orders::cancelAll);
		TestRpcTransport.Sent sent = this.transport.next();
		assertThat(sent.call().method()).isEqualTo("cancel_all");
		assertThat(sent.call().timeout()).isEqualTo(Duration.ofMillis(1500));
		sent.listener().end();
		Slow slow = this.factory.client(Slow.class);
		CompletableFuture.runAsync(slow::wait1);
		assertThat(this.transport.next().call().timeout()).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void varargsAreSpreadIntoPositionalArguments() throws Exception {
		Orders orders = this.factory.client(Orders.class);
		CompletableFuture.runAsync(() -> orders.echo("a", 1, true));
		assertThat((List<Object>) this.transport.next().call().args()).containsExactly("a", 1, true);
	}

	@Test
	void aStreamYieldsItemsAsTheyArriveAndClosingItCancelsTheCall() throws Exception {
		Orders orders = this.factory.client(Orders.class);
		Stream<Integer> lines = orders.lines(7);
		TestRpcTransport.Sent sent = this.transport.next();
		assertThat(sent.call().streaming()).isTrue();
		sent.item("1");
		sent.item("2");
		List<Integer> first = lines.limit(2).toList();
		assertThat(first).containsExactly(1, 2);
		lines.close();
		assertThat(sent.cancelled()).isTrue();
	}

	@Test
	void closingAStreamFromAnotherThreadWakesItsReader() throws Exception {
		Stream<Integer> lines = this.factory.client(Orders.class).lines(7);
		java.util.Iterator<Integer> items = lines.iterator();
		this.transport.next();
		Thread[] reader = new Thread[1];
		CompletableFuture<Boolean> reading = CompletableFuture.supplyAsync(() -> {
			reader[0] = Thread.currentThread();
			return items.hasNext();
		});
		org.awaitility.Awaitility.await()
			.until(() -> reader[0] != null && reader[0].getState() == Thread.State.WAITING);
		lines.close();
		assertThat(reading.get(5, java.util.concurrent.TimeUnit.SECONDS)).isFalse();
	}

	@Test
	void anErrorEndsAStreamAfterTheItemsBeforeIt() throws Exception {
		Orders orders = this.factory.client(Orders.class);
		List<Integer> seen = new CopyOnWriteArrayList<>();
		CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> orders.lines(1).forEach(seen::add));
		TestRpcTransport.Sent sent = this.transport.next();
		sent.item("9");
		sent.listener().error(new RpcRemoteException("orders", "lines", "KeyError", "7", "KeyError: 7"));
		assertThatThrownBy(reading::join).cause().isInstanceOf(RpcRemoteException.class);
		assertThat(seen).containsExactly(9);
	}

	@Test
	void aFluxCallsWhenSubscribedAndCancellingItCancelsTheCall() throws Exception {
		Orders orders = this.factory.client(Orders.class);
		Flux<Integer> flux = orders.lineFlux(3);
		assertThat(this.transport.sent).isEmpty();
		CompletableFuture<List<Integer>> two = flux.take(2).collectList().toFuture();
		TestRpcTransport.Sent sent = this.transport.next();
		sent.item("1");
		sent.item("2");
		assertThat(two.get()).containsExactly(1, 2);
		org.awaitility.Awaitility.await().until(() -> sent.cancelled().get());
	}

	@Test
	void futuresAndMonosCompleteWithTheConvertedItem() throws Exception {
		Orders orders = this.factory.client(Orders.class);
		CompletableFuture<String> future = orders.statusAsync(1);
		TestRpcTransport.Sent sent = this.transport.next();
		sent.item("\"shipped\"");
		assertThat(future.get()).isEqualTo("shipped");
		Mono<String> mono = orders.statusMono(2);
		assertThat(this.transport.sent).isEmpty();
		CompletableFuture<String> subscribed = mono.toFuture();
		this.transport.next().item("\"paid\"");
		assertThat(subscribed.get()).isEqualTo("paid");
	}

	@Test
	void cancellingAFutureCancelsTheCall() throws Exception {
		CompletableFuture<String> future = this.factory.client(Orders.class).statusAsync(1);
		TestRpcTransport.Sent sent = this.transport.next();
		future.cancel(true);
		assertThat(sent.cancelled()).isTrue();
	}

	@Test
	void anItemThatDoesNotFitTheReturnTypeIsAClearError() throws Exception {
		Orders orders = this.factory.client(Orders.class);
		CompletableFuture<Price> price = CompletableFuture.supplyAsync(() -> orders.quote("x", 1));
		this.transport.next().item("\"free\"");
		assertThatThrownBy(price::join).cause()
			.isInstanceOf(RpcException.class)
			.hasMessageStartingWith("Cannot convert the reply of orders.quote (\"free\") to");
	}

	@Test
	void aStreamedItemThatDoesNotFitEndsTheStreamAfterTheItemsBeforeIt() throws Exception {
		Orders orders = this.factory.client(Orders.class);
		List<Integer> seen = new CopyOnWriteArrayList<>();
		CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> orders.lines(1).forEach(seen::add));
		TestRpcTransport.Sent sent = this.transport.next();
		sent.frame("{\"__items__\": [1, \"two\", 3]}");
		assertThatThrownBy(reading::join).cause()
			.isInstanceOf(RpcException.class)
			.hasMessageStartingWith("Cannot convert the reply of orders.lines (\"two\") to java.lang.Integer");
		assertThat(seen).containsExactly(1);
	}

	@Test
	void operationsSendKeywordArgumentsAndTimeouts() throws Exception {
		RpcOperations orders = this.factory.operations("orders", "250ms");
		CompletableFuture<JsonNode> result = CompletableFuture
			.supplyAsync(() -> orders.request("find").args(1).kwarg("status", "open").call());
		TestRpcTransport.Sent sent = this.transport.next();
		assertThat((List<Object>) sent.call().args()).containsExactly(1);
		assertThat(sent.call().kwargs()).isEqualTo(Map.of("status", "open"));
		assertThat(sent.call().timeout()).isEqualTo(Duration.ofMillis(250));
		sent.listener().end();
		assertThat(result.get().isNull()).isTrue();
	}

	@Test
	void aMethodReturningAnIteratorFailsWhenTheClientIsCreated() {
		assertThatIllegalStateException().isThrownBy(() -> this.factory.client(Bad.class))
			.withMessage("Bad.lines returns java.util.Iterator<java.lang.Integer>; use T, void, CompletableFuture<T>, "
					+ "Mono<T>, Flux<T> or Stream<T>.");
	}

	@Test
	void anInterfaceWithoutTheAnnotationIsRefused() {
		assertThatIllegalStateException().isThrownBy(() -> this.factory.client(Runnable.class))
			.withMessageContaining("is not an interface annotated with @RpcClient");
	}

	@Test
	void defaultMethodsAndObjectMethodsRunLocally() {
		Orders orders = this.factory.client(Orders.class);
		assertThat(orders.describe()).isEqualTo("orders client");
		assertThat(orders.toString()).isEqualTo("RpcClient[Orders -> orders]");
		assertThat(orders).isEqualTo(orders);
		assertThat(this.transport.sent).isEmpty();
	}

	record Price(String sku, int cents) {
	}

	@RpcClient("${service}")
	interface Orders {

		Price quote(String sku, int quantity);

		@RpcCall(name = "cancel_all", timeout = "1500ms")
		void cancelAll();

		JsonNode echo(Object... values);

		Stream<Integer> lines(long orderId);

		@RpcCall(name = "lines")
		Flux<Integer> lineFlux(long orderId);

		@RpcCall(name = "status")
		CompletableFuture<String> statusAsync(long orderId);

		@RpcCall(name = "status")
		Mono<String> statusMono(long orderId);

		default String describe() {
			return "orders client";
		}

	}

	@RpcClient(value = "slow", timeout = "30")
	interface Slow {

		void wait1();

	}

	@RpcClient("bad")
	interface Bad {

		java.util.Iterator<Integer> lines();

	}

}
