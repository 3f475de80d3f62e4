package io.farine.rpc;

import java.time.Duration;

/**
 * No reply came in time: for a call, no result within its timeout; for a streaming call, no next
 * item within the timeout after the previous one. The request carried the same timeout as its
 * expiration, so a server that comes back later does not run a call its caller gave up on.
 */
public class RpcTimeoutException extends RpcException {

	private final Duration timeout;

	/**
	 * Creates an exception.
	 * @param service the called service
	 * @param method the called method
	 * @param timeout how long the caller waited
	 * @param streaming whether the wait was for the next item of a stream
	 */
	public RpcTimeoutException(String service, String method, Duration timeout, boolean streaming) {
		super(service, method, service + "." + method + (streaming ? " sent no next item within " : " did not reply within ")
				+ format(timeout), null);
		this.timeout = timeout;
	}

	/**
	 * How long the caller waited.
	 * @return the timeout
	 */
	public Duration getTimeout() {
		return this.timeout;
	}

	private static String format(Duration timeout) {
		return (timeout.toMillis() % 1000 == 0) ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
	}

}
