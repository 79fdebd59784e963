package org.cllab.core.api;

/**
 * Observes training progress. Listeners read, learners write: a listener gets values, never the learner.
 * All methods default to no-ops.
 */
public interface TrainingListener {
    /** A no-op listener. */
    TrainingListener NONE = new TrainingListener() {
    };

    /** Called when a learner starts fitting {@code task} with {@code totalSteps} optimiser steps planned. */
    default void onTaskStart(TaskInfo task, long totalSteps) {
    }

    /** Called after every optimiser step with the minibatch loss (all terms). */
    default void onStep(TaskInfo task, long step, double loss) {
    }

    /**
     * Called after every optimiser step of a boundary-free learner (which is never told its task) with the step's
     * loss; {@code step} counts the steps since the learner was built or restored.
     */
    default void onStreamStep(long step, double loss) {
    }

    /** Called when fitting {@code task} is done. */
    default void onTaskEnd(TaskInfo task) {
    }
}
