package io.farine.rpc;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;

/**
 * Carries RPC requests to servers and their reply frames back. Clients talk to this interface,
 * never to a channel, so their result handling is tested with a recording transport.
 */
interface RpcTransport extends AutoCloseable {

	/**
	 * Sends a request; the reply's items, then its end or an error, go to the listener. Never
	 * throws: a request that cannot be sent is an error given to the listener. Exactly one of
	 * {@link ReplyListener#end()} and {@link ReplyListener#error} is called, unless the call is
	 * cancelled first.
	 * @param call what to call
	 * @param listener where the reply goes
	 * @return cancels the call: frames still to come are dropped and the call is forgotten
	 */
	Runnable send(Call call, ReplyListener listener);

	/**
	 * Sends a one-way request: the server runs the method and sends nothing back.
	 * @param call what to call
	 * @return completed once the broker has the request; failed with an {@link RpcException}
	 * ({@link RpcUnroutableException} when no server's queue takes it)
	 */
	default java.util.concurrent.CompletableFuture<Void> signal(Call call) {
		return java.util.concurrent.CompletableFuture.failedFuture(new RpcException(call.service(), call.method(),
				"This RPC transport sends no one-way requests", null));
	}

	/**
	 * Calls waiting for their reply.
	 * @return how many calls are in flight
	 */
	default int inFlight() {
		return 0;
	}

	/** Stops reading replies; calls still waiting fail. */
	@Override
	default void close() {
	}

	/**
	 * One call.
	 *
	 * @param service the service to call
	 * @param method the method to call
	 * @param args the positional arguments
	 * @param kwargs the keyword arguments
	 * @param timeout how long to wait for the reply, and for each next item of a stream
	 * @param streaming whether the caller reads the reply as a stream (for messages)
	 */
	record Call(String service, String method, List<?> args, Map<String, ?> kwargs, Duration timeout,
			boolean streaming) {

		@Override
		public String toString() {
			return this.service + "." + this.method;
		}

	}

	/** Receives one reply, in order, one call at a time: its items, already read, then its end or an error. */
	interface ReplyListener {

		/**
		 * What each item is read into before {@link #item} gets it: the transport reads reply frames
		 * straight into it.
		 * @return the item type
		 */
		JavaType itemType();

		/**
		 * An item of the reply, already of {@link #itemType()}. An item that does not fit the type
		 * fails the call instead, after the items before it.
		 * @param item the item ({@code null} for a JSON null, where the type has no other null value)
		 */
		void item(@Nullable Object item);

		/** The reply ended normally. */
		void end();

		/**
		 * The call failed; nothing follows.
		 * @param error why
		 */
		void error(RpcException error);

		/**
		 * Whether this listener takes a stream at its reader's pace: {@link #item} may then wait, and
		 * the transport gives the call a reply consumer of its own, so no other call waits with it.
		 * @return {@code true} for a bounded streaming reader
		 */
		default boolean streamed() {
			return false;
		}

		/**
		 * Whether items wait for a slow reader: the call is not idle then, whatever the time since
		 * its last frame.
		 * @return {@code true} while items are buffered
		 */
		default boolean backlogged() {
			return false;
		}

	}

}
