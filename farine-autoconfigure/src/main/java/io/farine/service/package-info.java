/**
 * What a farine service is: beans whose annotated members are discovered once into immutable
 * endpoint descriptors, and the one invoker through which every handler is called.
 */
@NullMarked
package io.farine.service;

import org.jspecify.annotations.NullMarked;
