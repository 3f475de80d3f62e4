/**
 * The {@code farine} Actuator endpoint: what this process serves, from outside.
 */
@NullMarked
package io.farine.actuate;

import org.jspecify.annotations.NullMarked;
