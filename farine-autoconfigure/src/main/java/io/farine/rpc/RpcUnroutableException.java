package io.farine.rpc;

import org.jspecify.annotations.Nullable;

/**
 * No server can take the call: the service's exchange does not exist, or no queue is bound for
 * the method. Raised as soon as the broker says so, without waiting for the timeout; the call
 * did not run.
 */
public class RpcUnroutableException extends RpcException {

	/**
	 * Creates an exception.
	 * @param service the called service
	 * @param method the called method
	 * @param message what the broker said
	 * @param cause the underlying error, if any
	 */
	public RpcUnroutableException(String service, String method, String message, @Nullable Throwable cause) {
		super(service, method, message, cause);
	}

}
