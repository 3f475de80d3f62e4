package io.farine.rpc.scan;

import io.farine.rpc.RpcClient;

/** A client interface found by scanning the application's packages. */
@RpcClient("scanned")
public interface ScannedClient {

	int ping();

}
