package io.farine.rpc;

import org.jspecify.annotations.Nullable;

/**
 * An RPC call that did not produce its result: the remote method failed
 * ({@link RpcRemoteException}), no answer came in time ({@link RpcTimeoutException}), no server
 * could take the call ({@link RpcUnroutableException}), or the call could not be made or its reply
 * read. Always names the service and method.
 */
public class RpcException extends RuntimeException {

	private final String service;

	private final String method;

	/**
	 * Creates an exception.
	 * @param service the called service
	 * @param method the called method
	 * @param message what went wrong
	 * @param cause the underlying error, if any
	 */
	public RpcException(String service, String method, String message, @Nullable Throwable cause) {
		super(message, cause);
		this.service = service;
		this.method = method;
	}

	/**
	 * The called service.
	 * @return the service name
	 */
	public String getService() {
		return this.service;
	}

	/**
	 * The called method.
	 * @return the method name
	 */
	public String getMethod() {
		return this.method;
	}

}
