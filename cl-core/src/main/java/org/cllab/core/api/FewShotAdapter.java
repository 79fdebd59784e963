package org.cllab.core.api;

import org.cllab.core.data.TaskData;

/**
 * A learner that can adapt a copy of itself to a new few-shot task. {@link #adapt} receives only the support set of
 * one episode (local labels {@code 0..ways-1}) and returns an independent predictor; it must not change the learner
 * (its state, RNGs or anything saved by {@link ContinualLearner#saveState}), so probing never changes the continual
 * run. This is the only way the probe's held-out data reaches a learner.
 */
public interface FewShotAdapter {
    /**
     * @param support    the episode's support set
     * @param ways       N, the number of local labels
     * @param adaptation the budget, the same for every learner (set by the scenario)
     * @return a predictor of local labels for query features
     */
    FewShotPredictor adapt(TaskData support, int ways, Adaptation adaptation);

    /**
     * How a copy is adapted: {@code steps} full-batch plain-SGD steps at learning rate {@code lr} on the support set;
     * {@code seed} is fixed per episode (for adapters that draw anything).
     */
    record Adaptation(int steps, double lr, long seed) {
    }

    /** Answers the query set of one adapted episode. */
    interface FewShotPredictor {
        int[] predict(DomainIncrementalQuery query);
    }
}
