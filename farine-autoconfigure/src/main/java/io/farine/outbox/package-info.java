/**
 * The transactional outbox: messages published inside a transaction are stored with it and sent
 * after it commits.
 */
@NullMarked
package io.farine.outbox;

import org.jspecify.annotations.NullMarked;
