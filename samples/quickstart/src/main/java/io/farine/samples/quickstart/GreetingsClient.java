package io.farine.samples.quickstart;

import io.farine.rpc.RpcClient;

/**
 * Calls service {@code greetings} over RPC. farine implements this interface and registers the
 * implementation as a bean.
 */
@RpcClient("greetings")
public interface GreetingsClient {

	/**
	 * Calls {@code greetings.received}.
	 * @return how many greetings the service received
	 */
	long received();

}
