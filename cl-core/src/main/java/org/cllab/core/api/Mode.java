package org.cllab.core.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The three continual-learning settings of van de Ven &amp; Tolias (2019). */
public enum Mode {
    /** Task id given at test time; predict among the task's classes (multi-head). */
    TASK_INCREMENTAL("task-incremental"),
    /** No task id at test time; predict among all classes seen. */
    CLASS_INCREMENTAL("class-incremental"),
    /** No task id at test time; the label space is shared by all tasks (e.g. permuted digits). */
    DOMAIN_INCREMENTAL("domain-incremental");

    private final String key;

    Mode(String key) {
        this.key = key;
    }

    /** The name used in configs and result files. */
    public String key() {
        return key;
    }

    /** Parses a config name such as {@code class-incremental}; throws with the allowed names otherwise. */
    public static Mode parse(String s) {
        String k = s.trim().toLowerCase(Locale.ROOT);
        for (Mode m : values()) {
            if (m.key.equals(k)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + s + "' (allowed: " + allowed() + ")");
    }

    /** Comma-separated config names. */
    public static String allowed() {
        return Arrays.stream(values()).map(Mode::key).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return key;
    }
}
