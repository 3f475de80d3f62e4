package io.farine.rpc;

import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.node.NullNode;

import io.farine.service.JsonCodec;

/**
 * Turns the items a {@link RpcTransport} delivers, already read into the requested type, into
 * what callers hold: a value (blocking or a future), a {@code Stream} or a {@code Flux}. Shared by
 * typed clients and {@link RpcOperations}. A future completes on the thread that reads replies,
 * as fast as it can; a blocking call made there (from a future's callback) would wait for a reply
 * that thread must read, so it fails at once instead. Fluxes emit on Reactor's bounded elastic
 * scheduler, streams on the reading thread.
 */
final class RpcResults {

	private static final Log logger = LogFactory.getLog(RpcResults.class);

	private static final long SAFETY_MARGIN_MILLIS = 5_000;

	private final RpcTransport transport;

	private final JsonCodec codec;

	RpcResults(RpcTransport transport, JsonCodec codec) {
		this.transport = transport;
		this.codec = codec;
	}

	JsonCodec codec() {
		return this.codec;
	}

	/** Sends a one-way request; completed once the broker has it. */
	CompletableFuture<Void> signal(RpcTransport.Call call) {
		return this.transport.signal(call);
	}

	/** Calls and waits for the result. */
	@Nullable Object call(RpcTransport.Call call, JavaType type) {
		refuseOnReplyThread(call);
		Single single = new Single(call, type, this.codec);
		Runnable cancel = this.transport.send(call, single);
		try {
			// the transport ends every call by its timeout; the bound only guards against a transport that cannot
			return single.future.get(call.timeout().toMillis() + SAFETY_MARGIN_MILLIS,
					java.util.concurrent.TimeUnit.MILLISECONDS);
		}
		catch (java.util.concurrent.TimeoutException ex) {
			cancel.run();
			throw new RpcTimeoutException(call.service(), call.method(), call.timeout(), false);
		}
		catch (InterruptedException ex) {
			cancel.run();
			Thread.currentThread().interrupt();
			throw new RpcException(call.service(), call.method(), "Interrupted while waiting for " + call, ex);
		}
		catch (ExecutionException ex) {
			throw (RpcException) ex.getCause();
		}
	}

	/**
	 * Calls; the future completes with the result on the thread that reads replies: chain blocking
	 * work with the {@code *Async} methods. Cancelling it cancels the call.
	 */
	<T> CompletableFuture<T> callAsync(RpcTransport.Call call, JavaType type) {
		Single single = new Single(call, type, this.codec);
		Runnable cancel = this.transport.send(call, single);
		// a stage of its own: cancelling it must not complete the future the reply completes
		@SuppressWarnings("unchecked")
		CompletableFuture<T> result = single.future.thenApply((item) -> (T) item);
		result.whenComplete((value, failure) -> {
			if (failure instanceof CancellationException) {
				cancel.run();
			}
		});
		return result;
	}

	/**
	 * Calls; the stream yields items as they arrive, at most {@link StreamedItems#CAPACITY} ahead of
	 * the reader. Closing it cancels the call, and the server stops soon after.
	 */
	<T> Stream<T> stream(RpcTransport.Call call, JavaType type) {
		refuseOnReplyThread(call);
		StreamedItems items = new StreamedItems(call, type);
		Runnable cancel = this.transport.send(call, items);
		Iterator<T> converted = typed(items);
		return StreamSupport.stream(Spliterators.spliteratorUnknownSize(converted, Spliterator.ORDERED), false)
			.onClose(() -> {
				cancel.run();
				// a reader blocked on another thread wakes up and sees the end
				items.close();
			});
	}

	/**
	 * A flux that calls when subscribed and reads the items as they are requested, on Reactor's
	 * bounded elastic scheduler; cancelling it cancels the call, and the server stops soon after.
	 */
	<T> Flux<T> flux(RpcTransport.Call call, JavaType type) {
		return Flux.<T, StreamedItems>using(() -> new StreamedItems(call, type), (items) -> {
			Runnable cancel = this.transport.send(call, items);
			Iterator<T> converted = typed(items);
			return Flux.fromIterable(() -> converted).doFinally((signal) -> cancel.run());
		}, StreamedItems::close).subscribeOn(Schedulers.boundedElastic());
	}

	/** The items, which the transport already read into the item type. */
	private static <T> Iterator<T> typed(StreamedItems items) {
		return new Iterator<>() {

			@Override
			public boolean hasNext() {
				return items.hasNext();
			}

			@Override
			@SuppressWarnings("unchecked")
			public T next() {
				return (T) items.next();
			}

		};
	}

	private static void refuseOnReplyThread(RpcTransport.Call call) {
		if (ReplyQueue.isReplyThread()) {
			throw new IllegalStateException("Blocking RPC call " + call + " on the thread that reads RPC replies: it "
					+ "would wait for a reply only this thread can read. Chain it with thenComposeAsync/thenApplyAsync, "
					+ "or call asynchronously.");
		}
	}

	/** Keeps the first item; a reply with none (a Python generator that yields nothing) is null. */
	private static final class Single implements RpcTransport.ReplyListener {

		final CompletableFuture<@Nullable Object> future = new CompletableFuture<>();

		private final RpcTransport.Call call;

		private final JavaType type;

		private final JsonCodec codec;

		private boolean warned;

		Single(RpcTransport.Call call, JavaType type, JsonCodec codec) {
			this.call = call;
			this.type = type;
			this.codec = codec;
		}

		@Override
		public JavaType itemType() {
			return this.type;
		}

		@Override
		public void item(@Nullable Object item) {
			if (!this.future.complete(item) && !this.warned) {
				this.warned = true;
				logger.warn(this.call + " replied with more than one item; only the first was kept. "
						+ "Read a streaming method as a Stream or Flux.");
			}
		}

		@Override
		public void end() {
			if (this.future.isDone()) {
				return;
			}
			try {
				// what JSON null is in the type: null, or a primitive's zero
				this.future.complete(ReplyFrame.convert(this.codec, NullNode.getInstance(), this.type, this.call));
			}
			catch (RpcException ex) {
				this.future.completeExceptionally(ex);
			}
		}

		@Override
		public void error(RpcException error) {
			this.future.completeExceptionally(error);
		}

	}

}
