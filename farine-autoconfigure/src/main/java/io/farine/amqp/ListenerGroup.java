package io.farine.amqp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;

/**
 * The listener containers one runtime runs ({@link AmqpRuntime}, the RPC server, the cluster
 * runtime), and whether it runs: started together, and stopped together. Stopping cancels every
 * consumer at once, so no container takes a new message while another still waits for its
 * handlers, and the callback runs once the handlers of all of them finished (each container waits
 * up to its shutdown timeout): the "stop intake, let in-flight handlers finish" steps of
 * {@link io.farine.service.FarinePhases}.
 * <p>
 * Not part of farine's API: public because the RPC and cluster runtimes run their listener
 * containers with it.
 */
public final class ListenerGroup {

	private final List<AbstractMessageListenerContainer> containers = new ArrayList<>();

	private volatile boolean running;

	/**
	 * Runs from now on, and starts containers with the given code; when it fails, stops those it
	 * started and rethrows.
	 * @param starting starts the containers, adding each with {@link #add}
	 */
	public void start(Runnable starting) {
		this.running = true;
		try {
			starting.run();
		}
		catch (RuntimeException ex) {
			stop();
			throw ex;
		}
	}

	/**
	 * Adds a started container, which stops with the others.
	 * @param container the container
	 */
	public synchronized void add(AbstractMessageListenerContainer container) {
		this.containers.add(container);
	}

	/**
	 * Whether the group runs: from {@link #start} to a stop.
	 * @return whether it runs
	 */
	public boolean isRunning() {
		return this.running;
	}

	/** Stops and destroys the containers, and waits for their handlers at work. */
	public void stop() {
		CountDownLatch stopped = new CountDownLatch(1);
		stop(stopped::countDown);
		try {
			stopped.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Stops taking messages at once, in every container, and runs the callback once the handlers
	 * at work finished.
	 * @param callback what to run once all are stopped (on a container's thread, or this one)
	 */
	public void stop(Runnable callback) {
		List<AbstractMessageListenerContainer> stopping = take();
		if (stopping.isEmpty()) {
			callback.run();
			return;
		}
		AtomicInteger left = new AtomicInteger(stopping.size());
		for (AbstractMessageListenerContainer container : stopping) {
			container.stop(() -> {
				container.destroy();
				if (left.decrementAndGet() == 0) {
					callback.run();
				}
			});
		}
	}

	private synchronized List<AbstractMessageListenerContainer> take() {
		List<AbstractMessageListenerContainer> stopping = List.copyOf(this.containers);
		this.containers.clear();
		this.running = false;
		return stopping;
	}

}
