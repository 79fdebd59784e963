package org.cllab.core.api;

/** A learner that can answer domain-incremental queries (no task id): predicts local labels. */
public interface DomainIncrementalPredictor {
    int[] predict(DomainIncrementalQuery query);
}
