package io.farine.sse;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.farine.config.FarineProperties;
import io.farine.config.ServiceSettings;
import io.farine.observation.FarineObservations;
import io.farine.service.FarinePhases;
import io.farine.service.FarineThreads;
import io.farine.service.HandlerInvoker;
import io.farine.service.ServiceEndpoints;
import io.farine.service.SseEndpoint;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Runs the {@code @SseListener}s of the services that run, one reading thread each, and stops
 * them on shutdown before anything they use is closed.
 */
final class SseRunner implements SseListeners, SmartLifecycle {

	private final ServiceEndpoints endpoints;

	private final FarineProperties properties;

	private final HandlerInvoker invoker;

	private final FarineObservations observations;

	private final FarineThreads threads;

	/** Built when a listener first starts: an application without one loads no HTTP client (Reactor Netty). */
	private final Supplier<WebClient> client;

	private final List<SseConnection> connections = new ArrayList<>();

	private volatile boolean running;

	/**
	 * Creates the runner.
	 * @param endpoints the discovered endpoints
	 * @param properties the configuration
	 * @param invoker calls the listeners
	 * @param client makes the HTTP client that reads the streams, called once, when a listener
	 * first starts
	 * @param observations observes each event handled
	 * @param threads makes the reading thread of each listener
	 */
	SseRunner(ServiceEndpoints endpoints, FarineProperties properties, HandlerInvoker invoker,
			Supplier<WebClient> client, FarineObservations observations, FarineThreads threads) {
		this.threads = threads;
		this.observations = observations;
		this.endpoints = endpoints;
		this.properties = properties;
		this.invoker = invoker;
		this.client = SingletonSupplier.of(client);
	}

	@Override
	public void start() {
		List<SseConnection> ready = new ArrayList<>();
		for (SseEndpoint endpoint : this.endpoints.runningSseListeners()) {
			ServiceSettings settings = this.properties.service(endpoint.service());
			String url = endpoint.endpoint().isEmpty() ? settings.endpoint() : endpoint.endpoint();
			if (url == null || url.isBlank()) {
				throw new IllegalStateException("@SseListener " + endpoint.handler() + " has no endpoint: set "
						+ "@SseListener(endpoint = ...) or 'endpoint = <url>' in the [" + endpoint.service()
						+ "] section of farine.ini.");
			}
			ready.add(new SseConnection(endpoint, URI.create(url.strip()), this.client.get(),
					new SseEventReader((int) settings.maxMessageSize().toBytes()), this.invoker,
					settings.sseReconnectDelay(), settings.sseReconnectMaxDelay(), this.observations, this.threads));
		}
		for (SseConnection connection : ready) {
			connection.start();
			this.connections.add(connection);
		}
		this.running = true;
	}

	@Override
	public void stop() {
		for (SseConnection connection : this.connections) {
			connection.stop(java.time.Duration.ofSeconds(5));
		}
		this.connections.clear();
		this.running = false;
	}

	@Override
	public List<SseListenerState> listeners() {
		return this.connections.stream().map(SseConnection::state).toList();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return FarinePhases.INTAKE;
	}

}
