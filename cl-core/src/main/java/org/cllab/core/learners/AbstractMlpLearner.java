package org.cllab.core.learners;

import java.io.IOException;
import java.util.Set;
import org.cllab.core.api.ClassIncrementalPredictor;
import org.cllab.core.api.ClassIncrementalQuery;
import org.cllab.core.api.DomainIncrementalPredictor;
import org.cllab.core.api.DomainIncrementalQuery;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;
import org.cllab.core.api.TaskIncrementalPredictor;
import org.cllab.core.api.TaskIncrementalQuery;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.api.TrainingListener;
import org.cllab.core.nn.StepScope;
import org.cllab.core.rng.Rng;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Shared machinery of the MLP learners: the classifier, the minibatch loop with a penalty hook for
 * regularisers, the three predictors and checkpointing.
 *
 * <p>The data order of task {@code t} comes from {@code Rng(learnerSeed, "order/task-t")}, a fresh generator per
 * task, so a run resumed at a task boundary draws the same minibatches as an uninterrupted one.
 */
public abstract class AbstractMlpLearner
        implements ClassIncrementalPredictor, TaskIncrementalPredictor, DomainIncrementalPredictor {
    protected final LearnerContext context;
    protected final MlpClassifier classifier;

    protected AbstractMlpLearner(MlpLearnerSpec spec, LearnerContext context) {
        this.context = context;
        this.classifier = new MlpClassifier(spec, context);
    }

    public Set<Mode> evaluationModes() {
        return classifier.evaluationModes();
    }

    /** The model (for tests and learners built on top). */
    public MlpClassifier classifier() {
        return classifier;
    }

    /**
     * Adds the gradient of any extra loss term to {@code gradient} and returns its value. Called after the data
     * loss gradient is computed, before the optimiser step. Default: no penalty.
     */
    protected double addPenalty(INDArray params, INDArray gradient) {
        return 0.0;
    }

    /**
     * One optimiser step on {@code batch} (inside a {@link StepScope}): data loss plus {@link #logitTerm()} and
     * {@link #addPenalty}, then the update. Returns the total loss. Learners that need more (replay, path
     * integrals) override it.
     */
    protected double trainStep(TaskInfo task, Minibatch batch) {
        double loss = classifier.computeGradient(batch, logitTerm());
        loss += addPenalty(classifier.network().params(), classifier.network().gradient());
        classifier.applyGradient();
        return loss;
    }

    /** An extra loss on the logits for the current task (distillation), or null. Default: none. */
    protected MlpClassifier.LogitTerm logitTerm() {
        return null;
    }

    /** Trains on the sampler's data for the configured epochs; {@code task} names the task for listeners. */
    protected void fit(TaskInfo task, MinibatchSampler sampler) {
        MlpLearnerSpec spec = classifier.spec();
        if (spec.resetOptimizerPerTask()) {
            classifier.optimizer().reset();
        }
        Rng order = Rng.forComponent(context.seed(), "order/task-" + task.index());
        TrainingListener listener = context.listener();
        listener.onTaskStart(task, spec.epochs() * sampler.batchesPerEpoch(spec.batchSize()));
        long step = 0;
        for (int e = 0; e < spec.epochs(); e++) {
            for (var it = sampler.epoch(spec.batchSize(), order).iterator(); it.hasNext(); ) {
                double loss;
                try (StepScope scope = StepScope.open("train")) {
                    loss = trainStep(task, it.next());
                }
                listener.onStep(task, ++step, loss);
            }
        }
        listener.onTaskEnd(task);
    }

    @Override
    public int[] predict(ClassIncrementalQuery query) {
        return classifier.predict(query);
    }

    @Override
    public int[] predict(TaskIncrementalQuery query) {
        return classifier.predict(query);
    }

    @Override
    public int[] predict(DomainIncrementalQuery query) {
        return classifier.predict(query);
    }

    public void saveState(StateWriter out) throws IOException {
        classifier.save("mlp", out);
    }

    public void loadState(StateReader in) throws IOException {
        classifier.load("mlp", in);
    }
}
