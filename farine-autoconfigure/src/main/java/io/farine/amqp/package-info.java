/**
 * JSON messaging over RabbitMQ: {@code @Publish} publishers and {@code @Consume} consumers,
 * wire-compatible with the Python farine original, with publisher confirms, retries and
 * dead-lettering done by the framework so it works on any AMQP 0-9-1 broker.
 */
@NullMarked
package io.farine.amqp;

import org.jspecify.annotations.NullMarked;
