/**
 * The chaos run of {@code scripts/chaos.sh}: the database sample as a separate process under a
 * steady load while RabbitMQ nodes, PostgreSQL, etcd, TCP connections and the service itself fail
 * at moments drawn from a seed; then a count of what arrived, what was lost and what came twice.
 */
@NullMarked
package io.farine.chaos;

import org.jspecify.annotations.NullMarked;
