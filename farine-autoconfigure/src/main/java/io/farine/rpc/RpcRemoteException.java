package io.farine.rpc;

import org.jspecify.annotations.Nullable;

/**
 * The remote method threw: its error came back as the protocol's {@code {"__except__": text}}
 * frame. The type is the exception's class on the server (the Java class name from a farine Java
 * server, the exception's name from a Python traceback), the message its message; the full text
 * (a stack trace when the server sends one) is kept as well.
 */
public class RpcRemoteException extends RpcException {

	private final @Nullable String remoteType;

	private final String remoteMessage;

	private final String remoteText;

	/**
	 * Creates an exception.
	 * @param service the called service
	 * @param method the called method
	 * @param remoteType the remote exception's type, if known
	 * @param remoteMessage the remote exception's message
	 * @param remoteText the error text as sent
	 */
	public RpcRemoteException(String service, String method, @Nullable String remoteType, String remoteMessage,
			String remoteText) {
		super(service, method, service + "." + method + " failed: "
				+ ((remoteType != null) ? remoteType + ": " : "") + remoteMessage, null);
		this.remoteType = remoteType;
		this.remoteMessage = remoteMessage;
		this.remoteText = remoteText;
	}

	/**
	 * The type of the exception the remote method threw, such as
	 * {@code java.lang.IllegalStateException} or {@code ValueError}.
	 * @return the type, or {@code null} when the error text does not name one
	 */
	public @Nullable String getRemoteType() {
		return this.remoteType;
	}

	/**
	 * The message of the exception the remote method threw.
	 * @return the message
	 */
	public String getRemoteMessage() {
		return this.remoteMessage;
	}

	/**
	 * The error text exactly as the server sent it: type and message, or a stack trace.
	 * @return the text
	 */
	public String getRemoteText() {
		return this.remoteText;
	}

}
