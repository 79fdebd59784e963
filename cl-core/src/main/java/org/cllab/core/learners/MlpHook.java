package org.cllab.core.learners;

import org.cllab.core.api.LearnerContext;
import org.cllab.core.loop.TrainingHook;

/**
 * The settings of a training hook for an MLP learner; builds the hook once the model exists. The settings records
 * of {@link EwcHook}, {@link SiHook}, {@link LwfHook} and {@link ReplayHook} implement it, so a learner is
 * composed from a list of them ({@code new FinetuneLearner(spec, ctx, List.of(ewc, replay))}).
 */
@FunctionalInterface
public interface MlpHook {
    TrainingHook create(MlpClassifier model, LearnerContext context);
}
