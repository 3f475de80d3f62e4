package io.farine.service;

import org.springframework.context.SmartLifecycle;

/**
 * The {@link SmartLifecycle} phases of farine's runtimes, in one place so that the shutdown
 * order is written once. Spring stops the highest phase first, so farine shuts down in this order:
 * <ol>
 * <li>stop intake ({@link #INTAKE}): the AMQP consumers, the RPC servers, the cluster's listeners,
 * the SSE listeners and the {@code @Execute} methods stop taking work, together;</li>
 * <li>let in-flight handlers finish and reply: each runtime of that phase waits for its handlers
 * at work before its stop callback runs, so the next phase starts only after them;</li>
 * <li>flush the outbox ({@link #OUTBOX}): the relay sends what the handlers stored while stopping;
 * the {@code /provide} endpoint closes in the same phase ({@link #PROVIDE});</li>
 * <li>deregister from etcd ({@link #REGISTRY}): the lease is revoked and the entries go at once;</li>
 * <li>close connections: the broker and etcd clients close when their beans are destroyed,
 * after every phase stopped.</li>
 * </ol>
 * Starting runs the other way round: the registry first, then the relay and {@code /provide},
 * then the intake.
 * <p>
 * Not part of farine's API: public because every capability's lifecycle takes its phase from it.
 */
public final class FarinePhases {

	/**
	 * Everything that takes work in: consumers, RPC servers, cluster listeners, SSE listeners and
	 * {@code @Execute} methods. Stops first.
	 */
	public static final int INTAKE = SmartLifecycle.DEFAULT_PHASE - 1024;

	/** The outbox relay: starts before the intake and stops after it, so what handlers stored is sent. */
	public static final int OUTBOX = INTAKE - 1;

	/** The registry: starts before everything farine runs and stops after it, deregistering. */
	public static final int REGISTRY = INTAKE - 2;

	/**
	 * The {@code /provide} endpoint: starts after the registry and stops before it, so its
	 * entries go while the registry can still delete them.
	 */
	public static final int PROVIDE = REGISTRY + 1;

	private FarinePhases() {
	}

}
