package io.farine.samples.quickstart;

/**
 * The message the quickstart sends, as JSON: {@code {"to": "world", "number": 1}}.
 *
 * @param to who is greeted
 * @param number the greeting's sequence number
 */
public record Greeting(String to, long number) {
}
