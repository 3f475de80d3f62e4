package io.farine.rpc;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** The typed client of {@link Calculator}. */
@RpcClient("${t.service}")
interface CalculatorClient {

	int add(int a, int b);

	@RpcCall(name = "add")
	CompletableFuture<Integer> addAsync(int a, int b);

	@RpcCall(name = "add")
	Mono<Integer> addMono(int a, int b);

	Stream<Integer> count(int n);

	@RpcCall(name = "count")
	Flux<Integer> countFlux(int n);

	void boom();

	Calculator.Point translate(Calculator.Point point, int dx);

	Map<String, List<Integer>> group(List<Integer> numbers);

	JsonNode echo(Object... args);

	@RpcCall(name = "slow", timeout = "300ms")
	String slow(long millis);

	String renamed();

	default int addTwice(int a, int b) {
		return add(add(a, b), b);
	}

}
