package io.farine.service;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every endpoint the bean post-processor discovered, held until the capability runtimes start
 * them. Discovery opens no connection; this is the hand-over point.
 */
public final class ServiceEndpoints {

	private final List<PublishEndpoint> publishers = new CopyOnWriteArrayList<>();

	private final List<ConsumeEndpoint> consumers = new CopyOnWriteArrayList<>();

	private final List<RpcEndpoint> rpcMethods = new CopyOnWriteArrayList<>();

	private final List<SseEndpoint> sseListeners = new CopyOnWriteArrayList<>();

	private final List<ExecuteEndpoint> executeMethods = new CopyOnWriteArrayList<>();

	/**
	 * The discovered {@code @Publish} fields.
	 * @return an unmodifiable snapshot
	 */
	public List<PublishEndpoint> publishers() {
		return List.copyOf(this.publishers);
	}

	/**
	 * The discovered {@code @Consume} methods.
	 * @return an unmodifiable snapshot
	 */
	public List<ConsumeEndpoint> consumers() {
		return List.copyOf(this.consumers);
	}

	/**
	 * The discovered {@code @RpcMethod} methods.
	 * @return an unmodifiable snapshot
	 */
	public List<RpcEndpoint> rpcMethods() {
		return List.copyOf(this.rpcMethods);
	}

	/**
	 * The discovered {@code @SseListener} methods.
	 * @return an unmodifiable snapshot
	 */
	public List<SseEndpoint> sseListeners() {
		return List.copyOf(this.sseListeners);
	}

	/**
	 * The discovered {@code @Execute} methods.
	 * @return an unmodifiable snapshot
	 */
	public List<ExecuteEndpoint> executeMethods() {
		return List.copyOf(this.executeMethods);
	}

	void add(SseEndpoint endpoint) {
		this.sseListeners.add(endpoint);
	}

	void add(ExecuteEndpoint endpoint) {
		this.executeMethods.add(endpoint);
	}

	void add(RpcEndpoint endpoint) {
		for (RpcEndpoint other : this.rpcMethods) {
			if (other.queue().equals(endpoint.queue())) {
				throw new IllegalStateException(other.handler() + " and " + endpoint.handler()
						+ " are both RPC method '" + endpoint.name() + "' of service '" + endpoint.service()
						+ "'; rename one with @RpcMethod(name = ...).");
			}
		}
		this.rpcMethods.add(endpoint);
	}

	void add(PublishEndpoint endpoint) {
		this.publishers.add(endpoint);
	}

	void add(ConsumeEndpoint endpoint) {
		this.consumers.add(endpoint);
	}

}
