package io.farine.rpc;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The {@link RpcOperations} of one service, with the client's default timeout. */
record DefaultRpcOperations(String service, Duration timeout, RpcResults results) implements RpcOperations {

	@Override
	public RpcRequest request(String method) {
		if (method.isBlank()) {
			throw new IllegalArgumentException("An RPC method name must not be blank");
		}
		return new RpcRequest(this.results, this.service, method, List.of(), Map.of(), this.timeout);
	}

	@Override
	public String toString() {
		return "RpcOperations[" + this.service + "]";
	}

}
