/**
 * The cluster, Serf's way on farine's own parts: events delivered to every live instance
 * ({@link io.farine.cluster.OnEvent}, {@link io.farine.cluster.FarineEvents}) and queries every
 * instance may acknowledge and answer ({@link io.farine.cluster.OnQuery},
 * {@link io.farine.cluster.FarineQueries}), over RabbitMQ fanout exchanges, with the registry
 * saying who should answer.
 */
@NullMarked
package io.farine.cluster;

import org.jspecify.annotations.NullMarked;
