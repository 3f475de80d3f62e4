/**
 * {@link io.farine.sse.SseListener}: service methods fed by an HTTP Server-Sent-Events stream,
 * read with Spring WebFlux's {@code WebClient} and reconnected for ever.
 */
@NullMarked
package io.farine.sse;

import org.jspecify.annotations.NullMarked;
