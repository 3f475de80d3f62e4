package io.farine.samples.mixed;

/**
 * What {@code analyzer.analyze} answers.
 *
 * @param id the news item's number
 * @param words how many words it has
 */
public record Analysis(long id, int words) {
}
