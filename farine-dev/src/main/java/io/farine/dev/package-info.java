/**
 * Development-time stand-ins: when a service is configured for a broker, a PostgreSQL or an etcd on
 * a loopback address and nothing listens there, an embedded one starts and the application is
 * pointed at it, so a sample runs on a machine with only Java. Never replaces a server on any
 * other address; {@code farine.dev.enabled=false} turns it off.
 */
@NullMarked
package io.farine.dev;

import org.jspecify.annotations.NullMarked;
