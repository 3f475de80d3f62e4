package io.farine.test.unit;

import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.farine.rpc.RpcClient;

/** A client of service {@code calculator}, stubbed by the unit tests. */
@RpcClient("calculator")
public interface CalculatorClient {

	int add(int a, int b);

	long sum(long a, long b);

	CompletableFuture<Integer> addAsync(int a, int b);

	Mono<Total> total(String name);

	Stream<Integer> count(int n);

	Flux<Integer> countFlux(int n);

	void reset();

	/** A result converted from what the stub answers. @param name its name @param value its value */
	record Total(String name, int value) {
	}

}
