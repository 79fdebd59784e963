package org.cllab.core.learners;

import java.util.List;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.TaskAwareLearner;
import org.cllab.core.api.TrainingExperience;

/**
 * Sequential training of one MLP on each task in turn. Without hooks it is Finetune, the lower bound every
 * continual-learning paper reports (no protection against forgetting); with hooks it is each sequential baseline and
 * any combination of them: {@link EwcHook} (EWC, online EWC), {@link SiHook} (SI), {@link LwfHook} (LwF),
 * {@link ReplayHook} (experience replay), e.g. EWC + replay.
 */
public final class FinetuneLearner extends AbstractMlpLearner implements TaskAwareLearner {
    public FinetuneLearner(MlpLearnerSpec spec, LearnerContext context) {
        this(spec, context, List.of());
    }

    /** @param hooks the training hooks, in phase order */
    public FinetuneLearner(MlpLearnerSpec spec, LearnerContext context, List<? extends MlpHook> hooks) {
        super(spec, context, hooks);
    }

    @Override
    public void learn(TrainingExperience e) {
        fit(e.task(), e.data(), new MinibatchSampler(List.of(e.task()), List.of(e.data())));
    }
}
