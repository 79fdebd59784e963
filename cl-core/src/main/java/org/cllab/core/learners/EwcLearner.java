package org.cllab.core.learners;

import java.io.IOException;
import java.util.List;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.TaskAwareLearner;
import org.cllab.core.api.TrainingExperience;
import org.cllab.core.parts.EwcPenalty;
import org.cllab.core.rng.Rng;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Elastic Weight Consolidation (Kirkpatrick et al., PNAS 2017) and online EWC (Schwarz et al., ICML 2018): after each
 * task the diagonal Fisher information of the task's data is estimated at the final parameters and consolidated
 * into an {@link EwcPenalty}; while training later tasks the penalty's gradient is added to the data gradient.
 *
 * <p>Fisher labels are drawn from the model's predictive distribution by default (the Fisher information proper);
 * {@code EMPIRICAL} uses the data's labels. The samples used for the Fisher come from
 * {@code Rng(learnerSeed, "fisher/task-t")}.
 */
public final class EwcLearner extends AbstractMlpLearner implements TaskAwareLearner {
    /**
     * @param kind          EWC (one anchor per task) or ONLINE (running Fisher, one anchor)
     * @param lambda        penalty strength
     * @param gamma         Fisher decay of online EWC (ignored by EWC)
     * @param fisherSamples samples used to estimate the Fisher (0 = the whole task)
     * @param fisherLabels  how labels are chosen for the Fisher
     */
    public record Settings(EwcPenalty.Kind kind, double lambda, double gamma, int fisherSamples,
                           MlpClassifier.FisherLabels fisherLabels) {
    }

    private final Settings settings;
    private final EwcPenalty penalty;

    public EwcLearner(MlpLearnerSpec spec, Settings settings, LearnerContext context) {
        super(spec, context);
        this.settings = settings;
        this.penalty = new EwcPenalty(settings.kind(), classifier.network().numParams(), settings.lambda(),
                settings.gamma());
    }

    @Override
    public void learn(TrainingExperience e) {
        MinibatchSampler sampler = new MinibatchSampler(List.of(e.task()), List.of(e.data()));
        fit(e.task(), sampler);
        INDArray fisher = classifier.diagonalFisher(sampler, settings.fisherSamples(), settings.fisherLabels(),
                Rng.forComponent(context.seed(), "fisher/task-" + e.taskIndex()));
        penalty.consolidate(classifier.network().params(), fisher);
    }

    @Override
    protected double addPenalty(INDArray params, INDArray gradient) {
        return penalty.addGradient(params, gradient);
    }

    @Override
    public void saveState(StateWriter out) throws IOException {
        super.saveState(out);
        penalty.save("ewc", out);
    }

    @Override
    public void loadState(StateReader in) throws IOException {
        super.loadState(in);
        penalty.load("ewc", in);
    }
}
