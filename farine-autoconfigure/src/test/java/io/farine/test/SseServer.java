package io.farine.test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP Server-Sent-Events server for tests, on a loopback port: it sends the events after
 * the request's {@code Last-Event-ID}, at most {@code perConnection} of them, then ends the
 * response (the client must reconnect), and records every request.
 */
public final class SseServer implements AutoCloseable {

	private final HttpServer server;

	private final List<String> events = new CopyOnWriteArrayList<>();

	private final List<Request> requests = new CopyOnWriteArrayList<>();

	private volatile int perConnection = Integer.MAX_VALUE;

	private volatile boolean holdOpen;

	private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

	public SseServer() throws IOException {
		this(0);
	}

	public SseServer(int port) throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
		this.server.setExecutor(Executors.newCachedThreadPool());
		this.server.createContext("/events", (exchange) -> {
			String lastId = exchange.getRequestHeaders().getFirst("Last-Event-ID");
			this.requests.add(new Request(System.nanoTime(), lastId, exchange.getRequestHeaders().getFirst("Accept"),
					exchange.getRequestHeaders().getFirst("X-Token")));
			exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
			exchange.sendResponseHeaders(200, 0);
			try (OutputStream body = exchange.getResponseBody()) {
				int start = 0;
				if (lastId != null) {
					for (int i = 0; i < this.events.size(); i++) {
						if (this.events.get(i).contains("id: " + lastId + "\n")) {
							start = i + 1;
						}
					}
				}
				int sent = 0;
				for (int i = start; i < this.events.size() && sent < this.perConnection; i++, sent++) {
					body.write(this.events.get(i).getBytes(StandardCharsets.UTF_8));
					body.flush();
				}
				if (this.holdOpen) {
					this.closed.await();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (IOException ex) {
				// the client went away
			}
		});
		this.server.start();
	}

	/** Adds an event; {@code lines} are its fields, such as {@code "id: 1"}, {@code "data: x"}. */
	public SseServer event(String... lines) {
		this.events.add(String.join("\n", lines) + "\n\n");
		return this;
	}

	public SseServer perConnection(int events) {
		this.perConnection = events;
		return this;
	}

	public SseServer holdOpen(boolean hold) {
		this.holdOpen = hold;
		return this;
	}

	public String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/events";
	}

	public int port() {
		return this.server.getAddress().getPort();
	}

	public List<Request> requests() {
		return List.copyOf(this.requests);
	}

	@Override
	public void close() {
		this.closed.countDown();
		this.server.stop(0);
	}

	/** One request: when, and the headers the tests look at. */
	public record Request(long nanos, String lastEventId, String accept, String token) {
	}

}
