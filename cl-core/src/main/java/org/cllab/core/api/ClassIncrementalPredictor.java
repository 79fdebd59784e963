package org.cllab.core.api;

/** A learner that can answer class-incremental queries (no task id): predicts scenario-wide class labels. */
public interface ClassIncrementalPredictor {
    int[] predict(ClassIncrementalQuery query);
}
