package io.farine.service;

import org.jspecify.annotations.Nullable;

import org.springframework.core.NamedThreadLocal;

/**
 * The service whose handler runs on the calling thread, set by {@link HandlerInvoker} around each
 * call (before the handler's transaction begins, cleared after it ended), so that what depends on
 * the service and not on the code running (the database of a service whose section sets its own
 * {@code db_*} keys) can find it.
 * <p>
 * Not part of farine's API: public because the jdbc package routes connections by it.
 */
public final class RunningService {

	private static final ThreadLocal<@Nullable String> current = new NamedThreadLocal<>("farine running service");

	private RunningService() {
	}

	/**
	 * The service whose handler runs on this thread.
	 * @return its name, or {@code null} outside a handler
	 */
	public static @Nullable String current() {
		return current.get();
	}

	/** Marks a service's handler as running on this thread; returns what was marked before. */
	static @Nullable String enter(String service) {
		String previous = current.get();
		current.set(service);
		return previous;
	}

	/** Restores what {@link #enter} returned. */
	static void leave(@Nullable String previous) {
		if (previous == null) {
			current.remove();
		}
		else {
			current.set(previous);
		}
	}

}
