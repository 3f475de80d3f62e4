/**
 * Spring Boot auto-configuration of farine: wiring and conditions only.
 */
@NullMarked
package io.farine.autoconfigure;

import org.jspecify.annotations.NullMarked;
