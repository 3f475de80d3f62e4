package io.farine.samples.rpc;

import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import io.farine.rpc.RpcCall;
import io.farine.rpc.RpcClient;
import tools.jackson.databind.JsonNode;

/** The typed client of service {@code calculator}: farine implements it and registers it as a bean. */
@RpcClient("calculator")
public interface CalculatorClient {

	int add(int a, int b);

	@RpcCall(name = "add")
	CompletableFuture<Integer> addAsync(int a, int b);

	JsonNode echo(Object... args);

	Stream<Integer> count(int n);

	void boom();

}
