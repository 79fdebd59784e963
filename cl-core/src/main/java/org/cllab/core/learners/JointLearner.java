package org.cllab.core.learners;

import java.util.List;
import org.cllab.core.api.CumulativeExperience;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.UpperBoundLearner;

/**
 * Joint (cumulative) training: at task {@code t} the MLP trains on the union of the training data of tasks
 * {@code 0..t}, continuing from its current weights (Avalanche's "Cumulative" strategy). Its diagonal
 * {@code R[t][t]} is the joint reference {@code a*_t} used for intransigence. The upper bound of every table.
 */
public final class JointLearner extends AbstractMlpLearner implements UpperBoundLearner {
    public JointLearner(MlpLearnerSpec spec, LearnerContext context) {
        super(spec, context, List.of());
    }

    @Override
    public void learn(CumulativeExperience e) {
        fit(e.current().task(), e.current().data(), new MinibatchSampler(e.tasks(), e.seen()));
    }
}
