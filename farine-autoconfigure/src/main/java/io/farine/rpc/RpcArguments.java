package io.farine.rpc;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The arguments of an RPC request as they came: a method whose only parameter has this type
 * takes any arguments, as a Python {@code def echo(*args, **kwargs)} does.
 *
 * @param args the positional arguments
 * @param kwargs the keyword arguments
 */
public record RpcArguments(ArrayNode args, ObjectNode kwargs) {
}
