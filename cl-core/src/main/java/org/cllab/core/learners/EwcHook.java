package org.cllab.core.learners;

import java.io.IOException;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.loop.TaskScope;
import org.cllab.core.loop.TrainingHook;
import org.cllab.core.nn.ParamSet;
import org.cllab.core.parts.EwcPenalty;
import org.cllab.core.rng.Rng;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Elastic Weight Consolidation (Kirkpatrick et al., PNAS 2017) and online EWC (Schwarz et al., ICML 2018) as a
 * training hook: after each task the diagonal Fisher information of the task's data is estimated at the final
 * parameters and consolidated into an {@link EwcPenalty}; while training later tasks the penalty's gradient is added
 * after the backward pass. State (prefix {@code ewc}): the penalty's sums and anchor count.
 *
 * <p>Fisher labels are drawn from the model's predictive distribution by default (the Fisher information proper);
 * {@code EMPIRICAL} uses the data's labels. The samples used for the Fisher come from
 * {@code Rng(learnerSeed, "fisher/task-t")}.
 */
public final class EwcHook implements TrainingHook {
    /**
     * @param kind          EWC (one anchor per task) or ONLINE (running Fisher, one anchor)
     * @param lambda        penalty strength
     * @param gamma         Fisher decay of online EWC (ignored by EWC)
     * @param fisherSamples samples used to estimate the Fisher (0 = the whole task)
     * @param fisherLabels  how labels are chosen for the Fisher
     */
    public record Settings(EwcPenalty.Kind kind, double lambda, double gamma, int fisherSamples,
                           MlpClassifier.FisherLabels fisherLabels) implements MlpHook {
        @Override
        public TrainingHook create(MlpClassifier model, LearnerContext context) {
            return new EwcHook(this, model.params(), (sampler, rng) -> model.diagonalFisher(sampler,
                    fisherSamples, fisherLabels, rng));
        }
    }

    /** The model's diagonal Fisher on a task's samples, laid out like the parameter set's values. */
    @FunctionalInterface
    public interface FisherEstimator {
        INDArray estimate(MinibatchSampler sampler, Rng rng);
    }

    private final ParamSet params;
    private final FisherEstimator fisher;
    private final EwcPenalty penalty;

    public EwcHook(Settings settings, ParamSet params, FisherEstimator fisher) {
        this.params = params;
        this.fisher = fisher;
        this.penalty = new EwcPenalty(settings.kind(), params.size(), settings.lambda(), settings.gamma());
    }

    @Override
    public String name() {
        return "ewc";
    }

    /** The penalty (for tests). */
    public EwcPenalty penalty() {
        return penalty;
    }

    @Override
    public double afterBackward(ParamSet p) {
        return p.addPenalty(penalty::addGradient);
    }

    @Override
    public void afterTask(TaskScope task) {
        INDArray f = fisher.estimate(task.sampler(), Rng.forComponent(task.seed(), "fisher/task-" + task.index()));
        penalty.consolidate(params.values(), f);
    }

    @Override
    public void save(String prefix, StateWriter out) throws IOException {
        penalty.save(prefix, out);
    }

    @Override
    public void load(String prefix, StateReader in) {
        penalty.load(prefix, in);
    }
}
