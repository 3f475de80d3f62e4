package io.farine.samples.sse;

/**
 * A price update, sent as the JSON data of an event.
 *
 * @param sku the product
 * @param cents its price
 */
public record Price(String sku, long cents) {
}
