package org.cllab.core.learners;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.cllab.core.api.ClassIncrementalPredictor;
import org.cllab.core.api.ClassIncrementalQuery;
import org.cllab.core.api.DomainIncrementalPredictor;
import org.cllab.core.api.DomainIncrementalQuery;
import org.cllab.core.api.FewShotAdapter;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;
import org.cllab.core.api.TaskIncrementalPredictor;
import org.cllab.core.api.TaskIncrementalQuery;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.data.TaskData;
import org.cllab.core.loop.Budget;
import org.cllab.core.loop.OnTaskLoop;
import org.cllab.core.loop.TaskLoop;
import org.cllab.core.loop.TaskScope;
import org.cllab.core.loop.TrainingHook;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;

/**
 * Shared part of the MLP learners: the classifier (a {@link org.cllab.core.loop.TrainingStep}), the
 * {@link TaskLoop} with the learner's {@link TrainingHook}s, the three predictors and checkpointing (the model under
 * {@code mlp}, then each hook under its own name).
 */
public abstract class AbstractMlpLearner
        implements ClassIncrementalPredictor, TaskIncrementalPredictor, DomainIncrementalPredictor, OnTaskLoop,
        FewShotAdapter {
    protected final LearnerContext context;
    protected final MlpClassifier classifier;
    private final TaskLoop loop;

    /** @param hooks built on the classifier in this order (their phase order) */
    protected AbstractMlpLearner(MlpLearnerSpec spec, LearnerContext context, List<? extends MlpHook> hooks) {
        this.context = context;
        this.classifier = new MlpClassifier(spec, context);
        this.loop = new TaskLoop(context, "train", hooks.stream().map(h -> h.create(classifier, context)).toList());
    }

    public Set<Mode> evaluationModes() {
        return classifier.evaluationModes();
    }

    /** The model (for tests and learners built on top). */
    public MlpClassifier classifier() {
        return classifier;
    }

    /** The training loop (its hooks, a step guard). */
    @Override
    public TaskLoop loop() {
        return loop;
    }

    /** The hook called {@code name}, e.g. {@code "replay"} (for tests). */
    public TrainingHook hook(String name) {
        return loop.hooks().stream().filter(h -> h.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no hook " + name));
    }

    /**
     * Learns {@code task} for the spec's epochs on {@code sampler}'s minibatches; {@code data} is the task's own
     * data (what hooks consolidate or store).
     */
    protected void fit(TaskInfo task, TaskData data, MinibatchSampler sampler) {
        MlpLearnerSpec spec = classifier.spec();
        TaskLoop.TaskRun run = loop.begin(new TaskScope(task, data, sampler, context.seed()), spec.batchSize(),
                classifier, spec.resetOptimizerPerTask());
        run.train(Budget.epochs(spec.epochs()));
        run.finish();
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

    /** The few-shot probe: a copy with a fresh head fine-tuned on the support set ({@link MlpFewShot}). */
    @Override
    public FewShotPredictor adapt(TaskData support, int ways, Adaptation adaptation) {
        return MlpFewShot.adapt(classifier.network(), support, ways, adaptation);
    }

    public void saveState(StateWriter out) throws IOException {
        classifier.save("mlp", out);
        loop.save(out);
    }

    public void loadState(StateReader in) throws IOException {
        classifier.load("mlp", in);
        loop.load(in);
    }
}
