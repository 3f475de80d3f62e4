/**
 * Micrometer observations of what farine does for a service: publish, consume, RPC client and
 * server calls, SSE events and {@code @Execute} runs. With Micrometer they become timers, with
 * Micrometer Tracing spans whose context travels in AMQP headers. Depends on no other farine
 * package.
 */
@NullMarked
package io.farine.observation;

import org.jspecify.annotations.NullMarked;
