package io.farine.test.unit;

import io.farine.rpc.RpcClient;
import io.farine.rpc.RpcOperations;

/** A service calling by name, through an {@code @RpcClient RpcOperations} field. */
public class Caller {

	@RpcClient("calculator")
	RpcOperations calculator;

	public RpcOperations calculator() {
		return this.calculator;
	}

}
