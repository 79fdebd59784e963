package org.cllab.core.spi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.function.Supplier;

/**
 * One config key, declared on a component of a {@link Settings} record. The component's Java type gives the key's
 * type: {@code int}, {@code long}, {@code double}, {@code boolean}, {@code String}, an enum (its constants in lower
 * case with {@code -} for {@code _} are the allowed values), {@code int[]}, {@code double[]} or
 * {@code List<String>}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Setting {
    /** Meaning, one or two sentences (rendered in {@code docs/config.md}). */
    String doc();

    /** Default as written in a config ({@code 0.001}, {@code [400, 400]}, {@code adam}; a string is taken as is). */
    String def();

    /** How the default is shown in the docs when not the default itself (e.g. "[] (even spacing)"). */
    String defText() default "";

    /** Range check of a number, or of every entry of a list. */
    Check check() default Check.ANY;

    /** Allowed values of a string (or of every entry of a string list); empty: any. Enums need none. */
    String[] allowed() default {};

    /** Allowed values supplied at run time (e.g. the registered datasets), for a string key. */
    Class<? extends Supplier<List<String>>> allowedFrom() default NoAllowed.class;

    /** Last part of the key when it is not the component name in snake_case. */
    String key() default "";

    /** Marker for {@link #allowedFrom()}: no supplier. */
    final class NoAllowed implements Supplier<List<String>> {
        @Override
        public List<String> get() {
            return List.of();
        }
    }
}
