/**
 * The farine configuration: the INI reader (Python {@code configparser} semantics), the property
 * source that puts it into Spring's Environment, and the typed per-service settings.
 */
@NullMarked
package io.farine.config;

import org.jspecify.annotations.NullMarked;
