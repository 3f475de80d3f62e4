package io.farine.samples.mixed;

/**
 * A news item: the data of an event of the feed, and the argument of {@code analyzer.analyze}.
 *
 * @param id its number
 * @param text what happened
 */
public record News(long id, String text) {
}
