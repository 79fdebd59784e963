package org.cllab.core.api;

import java.util.Arrays;

/**
 * What is public about a task: its position in the stream, a name and the scenario-wide class labels it
 * contains, ordered by local label ({@code classes()[local] = class label}).
 *
 * @param index   0-based position in the stream
 * @param name    human-readable name, e.g. {@code "classes 4,7"} or {@code "permutation 3"}
 * @param classes class labels by local label (defensively copied)
 */
public record TaskInfo(int index, String name, int[] classes) {
    public TaskInfo {
        if (index < 0) {
            throw new IllegalArgumentException("task index must be >= 0: " + index);
        }
        if (classes.length == 0) {
            throw new IllegalArgumentException("task " + index + " has no classes");
        }
        classes = classes.clone();
    }

    @Override
    public int[] classes() {
        return classes.clone();
    }

    /** Number of local labels. */
    public int numLocalClasses() {
        return classes.length;
    }

    /** Class label of local label {@code local}. */
    public int classOf(int local) {
        return classes[local];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TaskInfo t && t.index == index && t.name.equals(name) && Arrays.equals(t.classes, classes);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * index + name.hashCode()) + Arrays.hashCode(classes);
    }

    @Override
    public String toString() {
        return "task " + index + " (" + name + ")";
    }
}
