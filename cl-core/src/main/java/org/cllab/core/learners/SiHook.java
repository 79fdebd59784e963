package org.cllab.core.learners;

import java.io.IOException;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.loop.TaskScope;
import org.cllab.core.loop.TrainingHook;
import org.cllab.core.nn.ParamSet;
import org.cllab.core.parts.SiImportance;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Synaptic Intelligence (Zenke, Poole &amp; Ganguli, ICML 2017) as a training hook: the per-parameter importance is
 * the path integral of the task-loss gradient along the parameter trajectory ({@link #afterBackward} takes the
 * gradient as it reaches this hook, before adding the penalty; {@link #afterUpdate} the actual change), normalised by
 * the squared total change plus {@code xi}; later tasks pay {@code c * sum Omega (theta - theta*)^2}. State (prefix
 * {@code si}): path integral, importance, anchor, task start.
 */
public final class SiHook implements TrainingHook {
    /**
     * @param c  penalty strength
     * @param xi damping of the importance normalisation
     */
    public record Settings(double c, double xi) implements MlpHook {
        @Override
        public TrainingHook create(MlpClassifier model, LearnerContext context) {
            return new SiHook(this, model.params());
        }
    }

    private final ParamSet params;
    private final SiImportance si;
    private INDArray taskGradient;
    private INDArray before;

    public SiHook(Settings settings, ParamSet params) {
        this.params = params;
        this.si = new SiImportance(params.size(), settings.c(), settings.xi());
    }

    @Override
    public String name() {
        return "si";
    }

    /** The importance accumulator (for tests). */
    public SiImportance importance() {
        return si;
    }

    @Override
    public void beforeTask(TaskScope task) {
        si.beginTask(params.values());
    }

    @Override
    public double afterBackward(ParamSet p) {
        taskGradient = p.gradients().dup();
        before = p.values().dup();
        return p.addPenalty(si::addGradient);
    }

    @Override
    public void afterUpdate(ParamSet p) {
        si.accumulate(taskGradient, before, p.values());
        taskGradient = null;
        before = null;
    }

    @Override
    public void afterTask(TaskScope task) {
        si.endTask(params.values());
    }

    @Override
    public void save(String prefix, StateWriter out) throws IOException {
        si.save(prefix, out);
    }

    @Override
    public void load(String prefix, StateReader in) {
        si.load(prefix, in);
    }
}
