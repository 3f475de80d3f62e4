package io.farine.execute;

/**
 * What one {@code @Execute} method is doing, for the {@code farine} Actuator endpoint and tests.
 *
 * @param method the method
 * @param restart whether it runs again when it ends
 * @param running whether its thread still runs it
 * @param runs how many times it was started
 * @param failures how many runs ended with an exception
 */
public record ExecuteState(String method, boolean restart, boolean running, long runs, long failures) {
}
