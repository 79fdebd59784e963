package org.cllab.core.learners;

import java.io.IOException;
import java.util.List;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.TaskAwareLearner;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.api.TrainingExperience;
import org.cllab.core.parts.SiImportance;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Synaptic Intelligence (Zenke, Poole &amp; Ganguli, ICML 2017): the per-parameter importance is the path integral of
 * the task-loss gradient along the parameter trajectory, normalised by the squared total change plus {@code xi};
 * later tasks pay {@code c * sum Omega (theta - theta*)^2}.
 */
public final class SiLearner extends AbstractMlpLearner implements TaskAwareLearner {
    private final SiImportance si;

    public SiLearner(MlpLearnerSpec spec, double c, double xi, LearnerContext context) {
        super(spec, context);
        this.si = new SiImportance(classifier.network().numParams(), c, xi);
    }

    @Override
    public void learn(TrainingExperience e) {
        si.beginTask(classifier.network().params());
        fit(e.task(), new MinibatchSampler(List.of(e.task()), List.of(e.data())));
        si.endTask(classifier.network().params());
    }

    @Override
    protected double trainStep(TaskInfo task, Minibatch batch) {
        INDArray params = classifier.network().params();
        INDArray gradient = classifier.network().gradient();
        double loss = classifier.computeGradient(batch);
        INDArray taskGradient = gradient.dup();
        INDArray before = params.dup();
        loss += si.addGradient(params, gradient);
        classifier.applyGradient();
        si.accumulate(taskGradient, before, params);
        return loss;
    }

    @Override
    public void saveState(StateWriter out) throws IOException {
        super.saveState(out);
        si.save("si", out);
    }

    @Override
    public void loadState(StateReader in) throws IOException {
        super.loadState(in);
        si.load("si", in);
    }
}
