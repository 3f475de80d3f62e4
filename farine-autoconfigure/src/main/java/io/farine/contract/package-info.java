/**
 * The application's contract as an AsyncAPI 3.0 document: the broker, the channels, the
 * operations of every farine endpoint and the JSON schemas of their payloads, made from the
 * discovered endpoints so that other teams (a Python one among them) can call the services
 * without reading their code. {@link io.farine.contract.AsyncApiDocuments} is the entry point.
 */
@NullMarked
package io.farine.contract;

import org.jspecify.annotations.NullMarked;
