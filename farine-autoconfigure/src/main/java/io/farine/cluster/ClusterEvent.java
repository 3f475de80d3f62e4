package io.farine.cluster;

/**
 * What an {@link OnEvent} method may ask about the event it receives.
 *
 * @param name the event's name
 * @param sender the instance id of the process that sent it
 */
public record ClusterEvent(String name, String sender) {
}
