package io.farine.service;

/**
 * The one way a handler call fails, whatever the entry point: the input could not be made into
 * arguments ({@link #badInput()}, never worth retrying), or the handler threw, or its transaction
 * could not commit. The cause is what went wrong; entry points report its type and message.
 * <p>
 * Not part of farine's API: public because every capability catches it from {@link HandlerInvoker}.
 */
public final class HandlerException extends RuntimeException {

	private final transient HandlerMethod handler;

	private final boolean badInput;

	HandlerException(HandlerMethod handler, Throwable cause, boolean badInput) {
		super(handler + " failed: " + cause, cause);
		this.handler = handler;
		this.badInput = badInput;
	}

	/**
	 * The handler that failed.
	 * @return the handler
	 */
	public HandlerMethod handler() {
		return this.handler;
	}

	/**
	 * Whether the input, not the handler, was at fault: it could not be converted to the
	 * handler's parameters. The handler did not run.
	 * @return true for bad input
	 */
	public boolean badInput() {
		return this.badInput;
	}

}
