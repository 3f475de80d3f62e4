package io.farine.amqp;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;

/**
 * Stops listener containers together: every consumer is cancelled at once, so no container
 * takes a new message while another still waits for its handlers, and the callback runs once
 * the handlers of all of them finished (each container waits up to its shutdown timeout).
 */
public final class ContainerShutdown {

	private ContainerShutdown() {
	}

	/**
	 * Stops and destroys containers, then runs the callback.
	 * @param containers the containers
	 * @param callback what to run once all are stopped (on a container's thread, or this one)
	 */
	public static void stopAll(Collection<DirectMessageListenerContainer> containers, Runnable callback) {
		List<DirectMessageListenerContainer> stopping = List.copyOf(containers);
		if (stopping.isEmpty()) {
			callback.run();
			return;
		}
		AtomicInteger left = new AtomicInteger(stopping.size());
		for (DirectMessageListenerContainer container : stopping) {
			container.stop(() -> {
				container.destroy();
				if (left.decrementAndGet() == 0) {
					callback.run();
				}
			});
		}
	}

	/**
	 * Stops and destroys containers and waits for them.
	 * @param containers the containers
	 */
	public static void stopAll(Collection<DirectMessageListenerContainer> containers) {
		java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
		stopAll(containers, stopped::countDown);
		try {
			stopped.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
