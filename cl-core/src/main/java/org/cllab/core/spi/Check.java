package org.cllab.core.spi;

import java.util.List;

/** Range checks of a setting's value (for a list: of every entry). Messages are the runner's one-line errors. */
public enum Check {
    /** No check. */
    ANY(""),
    /** {@code > 0}. */
    POSITIVE("> 0"),
    /** {@code >= 0}. */
    NON_NEGATIVE(">= 0"),
    /** In {@code [0, 1)}. */
    FRACTION("in [0, 1)"),
    /** In {@code [0, 1]}. */
    UNIT("in [0, 1]");

    private final String condition;

    Check(String condition) {
        this.condition = condition;
    }

    /** The problem with {@code value} (a number or a list of numbers), or null when it passes. */
    public String problem(Object value) {
        if (this == ANY) {
            return null;
        }
        if (value instanceof List<?> list) {
            for (Object o : list) {
                if (!passes(((Number) o).doubleValue())) {
                    return "all entries must be " + condition + ", got " + value;
                }
            }
            return null;
        }
        return passes(((Number) value).doubleValue()) ? null : "must be " + condition + ", got " + value;
    }

    private boolean passes(double d) {
        return switch (this) {
            case ANY -> true;
            case POSITIVE -> d > 0;
            case NON_NEGATIVE -> d >= 0;
            case FRACTION -> d >= 0 && d < 1;
            case UNIT -> d >= 0 && d <= 1;
        };
    }
}
