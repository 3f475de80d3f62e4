/**
 * RPC over AMQP, on the wire exactly as the Python farine original: {@link io.farine.rpc.RpcMethod}
 * serves a method, {@link io.farine.rpc.RpcClient} calls one, through a typed interface or
 * {@link io.farine.rpc.RpcOperations}; replies may stream item by item.
 */
@NullMarked
package io.farine.rpc;

import org.jspecify.annotations.NullMarked;
