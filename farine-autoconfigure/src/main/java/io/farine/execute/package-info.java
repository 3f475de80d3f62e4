/**
 * {@link io.farine.execute.Execute}: service methods run in the background once the application
 * is ready, and run again when they end.
 */
@NullMarked
package io.farine.execute;

import org.jspecify.annotations.NullMarked;
