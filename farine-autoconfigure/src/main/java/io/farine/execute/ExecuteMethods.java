package io.farine.execute;

import java.util.List;

/**
 * The state of this application's {@code @Execute} methods: running or not, how many times they
 * were started and failed. Inject it to check them; the {@code farine} Actuator endpoint shows
 * the same.
 */
public interface ExecuteMethods {

	/**
	 * What each {@code @Execute} method is doing.
	 * @return one state per method started
	 */
	List<ExecuteState> methods();

}
