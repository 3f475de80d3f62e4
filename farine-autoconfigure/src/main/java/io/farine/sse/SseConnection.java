package io.farine.sse;

import java.net.URI;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.farine.observation.FarineObservations;
import io.farine.service.FarineThreads;
import io.farine.service.HandlerException;
import io.farine.service.HandlerInvoker;
import io.farine.service.SseEndpoint;
import io.farine.service.TaskThread;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * One {@code @SseListener} at work: a thread that reads the stream with {@link WebClient} and
 * {@link SseEventReader}, hands each event to the method in order, and reconnects for ever (with
 * {@code Last-Event-ID}, the server's {@code retry:} or {@code sse_reconnect_delay}, whichever is
 * longer, then a capped exponential backoff with jitter while attempts fail: {@link ReconnectDelay})
 * until it is stopped.
 */
final class SseConnection {

	private static final Log logger = LogFactory.getLog(SseConnection.class);

	private final SseEndpoint endpoint;

	private final URI url;

	/** The URL for logs: no user info and no query, where tokens travel. */
	private final String displayUrl;

	private final WebClient client;

	private final SseEventReader eventReader;

	private final HandlerInvoker invoker;

	private final FarineObservations observations;

	private final SseArguments argument;

	private final ReconnectDelay reconnectDelay;

	private final AtomicLong handled = new AtomicLong();

	private final AtomicLong failures = new AtomicLong();

	private final AtomicLong connections = new AtomicLong();

	private volatile boolean running;

	private volatile boolean connected;

	private volatile @Nullable String lastEventId;

	private volatile @Nullable Stream<ServerSentEvent<String>> current;

	private final FarineThreads threads;

	private @Nullable TaskThread thread;

	SseConnection(SseEndpoint endpoint, URI url, WebClient client, SseEventReader eventReader, HandlerInvoker invoker,
			Duration firstDelay, Duration maxDelay, FarineObservations observations, FarineThreads threads) {
		this.threads = threads;
		if (!(endpoint.arguments() instanceof SseArguments sseArguments)) {
			throw new IllegalStateException(endpoint.handler() + " has the arguments of another kind of endpoint: "
					+ endpoint.arguments().getClass().getName());
		}
		this.argument = sseArguments;
		this.observations = observations;
		this.endpoint = endpoint;
		this.url = url;
		this.displayUrl = url.getScheme() + "://" + url.getHost() + ((url.getPort() >= 0) ? ":" + url.getPort() : "")
				+ ((url.getRawPath() != null) ? url.getRawPath() : "") + ((url.getRawQuery() != null) ? "?..." : "");
		this.client = client;
		this.eventReader = eventReader;
		this.invoker = invoker;
		this.reconnectDelay = new ReconnectDelay(firstDelay, maxDelay);
	}

	void start() {
		this.running = true;
		this.thread = this.threads.start("farine-sse-" + this.endpoint.service() + "-"
				+ this.endpoint.handler().method().getName(), this::readForever);
	}

	/** Stops reading: no reconnection after this; waits up to the grace period for the thread. */
	void stop(Duration grace) {
		this.running = false;
		Stream<ServerSentEvent<String>> stream = this.current;
		if (stream != null) {
			stream.close();
		}
		TaskThread reader = this.thread;
		if (reader != null) {
			reader.interrupt();
			if (!reader.join(grace)) {
				logger.warn(this.endpoint.handler() + " did not stop within " + grace + " after shutdown began");
			}
		}
	}

	SseListenerState state() {
		return new SseListenerState(this.endpoint.handler().toString(), this.displayUrl, this.running,
				this.connected, this.connections.get(), this.handled.get(), this.failures.get(), this.lastEventId);
	}

	private void readForever() {
		while (this.running) {
			boolean received = false;
			try {
				received = readOnce();
				if (this.running) {
					logger.info("SSE stream " + this.displayUrl + " of " + this.endpoint.handler() + " ended; reconnecting");
				}
			}
			catch (RuntimeException | Error ex) {
				if (ex instanceof VirtualMachineError fatal) {
					this.running = false;
					throw fatal;
				}
				if (!this.running) {
					break;
				}
				logger.warn("SSE stream " + this.displayUrl + " of " + this.endpoint.handler() + " failed: "
						+ String.valueOf(ex.getMessage()).replace(this.url.toString(), this.displayUrl) + "; reconnecting");
			}
			finally {
				this.connected = false;
				this.current = null;
			}
			if (this.running && !FarineThreads.pause(this.reconnectDelay.next(received))) {
				break;
			}
		}
	}

	/** Reads one connection until it ends; returns whether any event came. */
	private boolean readOnce() {
		boolean received = false;
		Stream<ServerSentEvent<String>> events = this.client.get()
			.uri(this.url)
			.accept(MediaType.TEXT_EVENT_STREAM)
			.headers((headers) -> {
				for (String header : this.endpoint.headers()) {
					int colon = header.indexOf(':');
					headers.add(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
				}
				String id = this.lastEventId;
				if (id != null) {
					headers.set("Last-Event-ID", id);
				}
			})
			.retrieve()
			.bodyToFlux(DataBuffer.class)
			.transform(this.eventReader::read)
			.doOnSubscribe((subscription) -> this.connections.incrementAndGet())
			.toStream(1);
		this.current = events;
		try (events) {
			this.connected = true;
			for (Iterator<ServerSentEvent<String>> it = events.iterator(); this.running && it.hasNext();) {
				ServerSentEvent<String> event = it.next();
				received = true;
				Duration retry = event.retry();
				if (retry != null) {
					this.reconnectDelay.serverAsked(retry);
				}
				handle(event);
				if (!this.running) {
					break;
				}
			}
		}
		return received;
	}

	private void handle(ServerSentEvent<String> event) {
		// the last-event-ID buffer of the HTML standard: every id counts, even of an event not handled
		if (event.id() != null) {
			this.lastEventId = event.id();
		}
		String data = event.data();
		if (data == null || data.isEmpty()) {
			return;
		}
		if (!this.endpoint.event().isEmpty() && !this.endpoint.event().equals(event.event())) {
			return;
		}
		try {
			this.invoker.invoke(this.endpoint.handler(),
					this.observations.sse(this.endpoint.service(), this.endpoint.handler().method().getName()),
					this.argument, event);
			this.handled.incrementAndGet();
		}
		catch (HandlerException failure) {
			Throwable ex = failure.getCause();
			this.failures.incrementAndGet();
			if (this.endpoint.stopOnError()) {
				logger.error(this.endpoint.handler() + " failed on an event of " + this.displayUrl
						+ "; stopping the listener (stopOnError)", ex);
				this.running = false;
			}
			else {
				logger.warn(this.endpoint.handler() + " failed on an event of " + this.displayUrl + " (" + this.failures.get()
						+ " failure(s) so far); going on with the next event", ex);
			}
		}
	}

}
