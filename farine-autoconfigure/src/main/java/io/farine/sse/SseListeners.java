package io.farine.sse;

import java.util.List;

/**
 * The state of this application's running {@code @SseListener}s: connected or not, connections
 * opened, events handled and failed, the last event id. Inject it to check them; the
 * {@code farine} Actuator endpoint shows the same.
 */
public interface SseListeners {

	/**
	 * What each listener is doing.
	 * @return one state per running listener
	 */
	List<SseListenerState> listeners();

}
