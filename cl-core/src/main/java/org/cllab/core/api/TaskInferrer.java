package org.cllab.core.api;

/**
 * Optional capability of learners that infer the task of an input without being told (e.g. HNET's
 * minimum-entropy rule); the protocol then reports task-identification accuracy.
 */
public interface TaskInferrer {
    /** Inferred 0-based task index of every sample. */
    int[] inferTask(ClassIncrementalQuery query);
}
