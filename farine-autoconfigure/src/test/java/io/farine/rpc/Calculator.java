package io.farine.rpc;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.farine.service.FarineService;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The RPC server of the tests: the calculator of samples/rpc plus methods for every kind of result. Its
 * service name comes from {@code t.service}, unique per test.
 */
@FarineService("${t.service}")
class Calculator {

	final AtomicInteger slowCalls = new AtomicInteger();

	/** How many items {@link #numbers} made, and whether its stream was closed (it stopped). */
	final AtomicInteger produced = new AtomicInteger();

	final java.util.concurrent.CountDownLatch numbersClosed = new java.util.concurrent.CountDownLatch(1);

	/** Holds {@link #gated} until a test opens it. */
	final java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);

	@RpcMethod
	int gated(int n) throws InterruptedException {
		if (!this.gate.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
			throw new IllegalStateException("the gate was never opened");
		}
		return n;
	}

	@RpcMethod
	int add(int a, int b) {
		return a + b;
	}

	@RpcMethod
	Map<String, Object> echo(RpcArguments arguments) {
		Map<String, Object> echoed = new LinkedHashMap<>();
		echoed.put("args", arguments.args());
		echoed.put("kwargs", arguments.kwargs());
		return echoed;
	}

	@RpcMethod
	Stream<Integer> count(int n) {
		return IntStream.range(0, n).boxed();
	}

	@RpcMethod
	Stream<Integer> numbers(int n) {
		return IntStream.range(0, n).peek((i) -> this.produced.incrementAndGet()).boxed()
			.onClose(this.numbersClosed::countDown);
	}

	@RpcMethod
	void boom() {
		throw new IllegalStateException("boom");
	}

	@RpcMethod
	Object falsy(String kind) {
		return switch (kind) {
			case "zero" -> 0;
			case "empty" -> "";
			case "false" -> false;
			case "list" -> List.of();
			case "map" -> Map.of();
			default -> null;
		};
	}

	@RpcMethod
	BigDecimal exact(BigDecimal amount) {
		return amount;
	}

	@RpcMethod
	Point translate(Point point, int dx) {
		return new Point(point.x() + dx, point.y());
	}

	@RpcMethod
	Map<String, List<Integer>> group(List<Integer> numbers) {
		return Map.of("even", numbers.stream().filter((n) -> n % 2 == 0).toList(), "odd",
				numbers.stream().filter((n) -> n % 2 != 0).toList());
	}

	@RpcMethod
	String greet(String name, Optional<String> greeting) {
		return greeting.orElse("hello") + " " + name;
	}

	@RpcMethod
	List<Integer> list(int n) {
		return IntStream.range(0, n).boxed().toList();
	}

	@RpcMethod(streaming = true)
	List<Integer> iterable(int n) {
		return IntStream.range(0, n).boxed().toList();
	}

	@RpcMethod
	Iterator<String> letters() {
		return List.of("a", "b", "c").iterator();
	}

	@RpcMethod
	Flux<Integer> flux(int n) {
		return Flux.range(0, n);
	}

	@RpcMethod
	Mono<String> mono(String text) {
		return Mono.just(text.toUpperCase());
	}

	@RpcMethod
	CompletableFuture<Integer> future(int n) {
		return CompletableFuture.supplyAsync(() -> n * 2);
	}

	@RpcMethod
	Stream<Integer> failAfter(int n) {
		return IntStream.range(0, n + 1).mapToObj((i) -> {
			if (i == n) {
				throw new IllegalArgumentException("failed after " + n);
			}
			return i;
		});
	}

	/** Items made after the stall of {@link #stalling}. */
	final AtomicInteger madeAfterStall = new AtomicInteger();

	volatile boolean stallingClosed;

	/** Streams 100 items; the fourth takes {@code millis} to make (the method under test is slow, on purpose). */
	@RpcMethod
	Stream<Integer> stalling(long millis) {
		return IntStream.range(0, 100).boxed().map((i) -> {
			if (i == 3) {
				try {
					Thread.sleep(millis);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			else if (i > 3) {
				this.madeAfterStall.incrementAndGet();
			}
			return i;
		}).onClose(() -> this.stallingClosed = true);
	}

	@RpcMethod
	String slow(long millis) throws InterruptedException {
		this.slowCalls.incrementAndGet();
		Thread.sleep(millis);
		return "done";
	}

	@RpcMethod
	void overflow() {
		throw new StackOverflowError("too deep");
	}

	@RpcMethod(name = "renamed")
	String originalName() {
		return "renamed";
	}

	@RpcMethod
	List<Object> many(List<Object> values) {
		return new ArrayList<>(values);
	}

	/** The queues of a calculator service, to delete after a test. */
	static String[] queues(String service) {
		return java.util.Arrays.stream(Calculator.class.getDeclaredMethods())
			.filter((method) -> method.isAnnotationPresent(RpcMethod.class))
			.map((method) -> service + "__" + (method.getAnnotation(RpcMethod.class).name().isEmpty() ? method.getName()
					: method.getAnnotation(RpcMethod.class).name()))
			.toArray(String[]::new);
	}

	record Point(int x, int y) {
	}

}
