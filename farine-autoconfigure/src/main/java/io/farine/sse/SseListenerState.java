package io.farine.sse;

import org.jspecify.annotations.Nullable;

/**
 * What one {@code @SseListener} is doing, for health checks and tests.
 *
 * @param listener the listening method
 * @param url the stream
 * @param running whether it still reads (false after shutdown or {@code stopOnError})
 * @param connected whether a connection is open now
 * @param connections how many connections were opened
 * @param handled events the method handled
 * @param failures events the method failed on
 * @param lastEventId the id of the last event handled, sent as {@code Last-Event-ID} on reconnection
 */
public record SseListenerState(String listener, String url, boolean running, boolean connected, long connections,
		long handled, long failures, @Nullable String lastEventId) {
}
