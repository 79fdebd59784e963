package org.cllab.core.nn;

import java.util.Locale;

/** Hidden-layer activations of {@link Mlp}. */
public enum Activation {
    RELU, TANH;

    public static Activation parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown activation '" + s + "' (allowed: relu, tanh)");
        }
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
