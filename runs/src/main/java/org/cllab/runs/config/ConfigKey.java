package org.cllab.runs.config;

import java.util.List;
import java.util.function.Function;

/**
 * One config key: name, type, default ({@code null} = unset, described by {@code defaultText}), allowed values for
 * enumerations, a check of the value, and its meaning for {@code docs/config.md}.
 *
 * @param name        dotted key, e.g. {@code learner.lr}
 * @param type        value type
 * @param defaultValue default value, or null when the default is derived (see {@code defaultText})
 * @param defaultText how the default is shown in the docs
 * @param allowed     allowed values for string keys (or each element of a string list); empty = any
 * @param check       returns a problem description or null when the (typed) value is fine
 * @param description meaning, one or two sentences
 */
public record ConfigKey(String name, KeyType type, Object defaultValue, String defaultText, List<String> allowed,
                        Function<Object, String> check, String description) {
    public ConfigKey {
        allowed = List.copyOf(allowed);
    }

    /** The section (first dotted component). */
    public String section() {
        int i = name.indexOf('.');
        return i < 0 ? name : name.substring(0, i);
    }
}
