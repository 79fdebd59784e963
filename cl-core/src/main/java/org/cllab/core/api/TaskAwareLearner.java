package org.cllab.core.api;

/** A learner trained task by task; it sees one task's data at a time. */
public interface TaskAwareLearner extends ContinualLearner {
    void learn(TrainingExperience experience);
}
