package org.cllab.core.spi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a record as a settings piece: each component is a config key {@code prefix + "." + name} (a {@link Setting})
 * or another settings piece (nested, with its own prefix). Component names are written in camelCase and become
 * snake_case keys ({@code fisherSamples} is {@code fisher_samples}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Settings {
    /** Dotted key prefix of the piece's components, e.g. {@code learner.ewc}. */
    String prefix();
}
