/**
 * The service registry: every running service registers itself in etcd while it lives (one lease
 * per process, kept alive, revoked on shutdown), and {@link io.farine.registry.ServiceRegistry}
 * answers who is alive from a watch-backed cache.
 */
@NullMarked
package io.farine.registry;

import org.jspecify.annotations.NullMarked;
