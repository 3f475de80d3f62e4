/**
 * Test support for farine services, added with test scope. Against the broker:
 * {@link io.farine.test.FarineTest} starts the application and injects a
 * {@link io.farine.test.FarineTestClient} that publishes, waits for handlers, calls RPC methods
 * and records what the application published. Without a broker:
 * {@link io.farine.test.RecordingPublisher}, {@link io.farine.test.RpcStubs} and
 * {@link io.farine.test.ServiceUnderTest} build one service bean for a plain unit test.
 */
@NullMarked
package io.farine.test;

import org.jspecify.annotations.NullMarked;
