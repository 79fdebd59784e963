package org.cllab.core.api;

/** A learner that can answer task-incremental queries: predicts local labels of the given task. */
public interface TaskIncrementalPredictor {
    int[] predict(TaskIncrementalQuery query);
}
