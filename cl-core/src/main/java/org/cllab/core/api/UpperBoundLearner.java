package org.cllab.core.api;

/** A reference learner allowed to train on all data seen so far (Joint / cumulative training). */
public interface UpperBoundLearner extends ContinualLearner {
    void learn(CumulativeExperience experience);
}
