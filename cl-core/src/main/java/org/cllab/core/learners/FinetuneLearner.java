package org.cllab.core.learners;

import java.util.List;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.TaskAwareLearner;
import org.cllab.core.api.TrainingExperience;

/**
 * Finetune: plain sequential training of one MLP on each task in turn, no protection against forgetting. The
 * lower bound every continual-learning paper reports.
 */
public final class FinetuneLearner extends AbstractMlpLearner implements TaskAwareLearner {
    public FinetuneLearner(MlpLearnerSpec spec, LearnerContext context) {
        super(spec, context);
    }

    @Override
    public void learn(TrainingExperience e) {
        fit(e.task(), new MinibatchSampler(List.of(e.task()), List.of(e.data())));
    }
}
