package org.cllab.meta.fastslow;

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
import org.cllab.core.api.TaskAwareLearner;
import org.cllab.core.api.TaskIncrementalPredictor;
import org.cllab.core.api.TaskIncrementalQuery;
import org.cllab.core.api.TrainingExperience;
import org.cllab.core.api.TrainingListener;
import org.cllab.core.data.TaskData;
import org.cllab.core.learners.EwcHook;
import org.cllab.core.learners.FinetuneLearner;
import org.cllab.core.learners.MinibatchSampler;
import org.cllab.core.learners.MlpClassifier;
import org.cllab.core.learners.MlpFewShot;
import org.cllab.core.learners.MlpHook;
import org.cllab.core.learners.MlpLearnerSpec;
import org.cllab.core.loop.Budget;
import org.cllab.core.loop.TaskLoop;
import org.cllab.core.loop.TaskScope;
import org.cllab.core.parts.EwcPenalty;
import org.cllab.core.rng.Seeds;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Few-shot continual learning with a pair of fast and slow weights of one MLP, after Wang et al., "Few-shot Continual
 * Learning: a Brain-inspired Approach" (arXiv 2104.09034). The abstract fixes only the pair of weights updated
 * interdependently and the two-step consolidation; no code exists. <b>Everything below is our reconstruction</b>
 * (issue 12, {@code shared/docs/methods.md}):
 *
 * <ol>
 *   <li><b>Slow consolidation</b> (first, on task t): {@code phi} starts at the slow weights {@code theta_s} and takes
 *   {@code learner.slow.inner_epochs} passes of plain SGD ({@code learner.slow.inner_lr}) over the task's support set
 *   with the proximal penalty {@code mu/2 ||phi - theta_s||^2} ({@link ProximalPenalty},
 *   {@code learner.fast_slow.slow_penalty}) against overfitting the few examples; then Reptile's update
 *   {@code theta_s += beta (phi - theta_s)} ({@code learner.slow.step}).</li>
 *   <li><b>Fast consolidation</b>: the fast weights {@code theta_f} are pulled toward the slow ones,
 *   {@code theta_f += alpha (theta_s - theta_f)} ({@code learner.fast_slow.pull}), then trained on the support set with
 *   the shared MLP keys ({@code learner.lr}, {@code learner.epochs}, ...) and an importance-weighted anchor to their
 *   consolidated value: online EWC's running diagonal Fisher ({@code learner.fast_slow.anchor_lambda},
 *   {@code learner.fast_slow.fisher_gamma}, {@code learner.fast_slow.fisher_samples}), consolidated after the task.</li>
 *   <li><b>Slow weights read the fast ones</b> (after the task): {@code theta_s += gamma (theta_f - theta_s)}
 *   ({@code learner.fast_slow.slow_pull}), so the slow weights also integrate what the fast weights consolidated;
 *   with {@code pull} this makes the update interdependent in both directions (our reading of the abstract's
 *   "updated interdependently"; 0 = the slow weights never read the fast ones).</li>
 * </ol>
 *
 * Seen tasks are answered with {@code theta_f}; the few-shot probe adapts a copy of {@code theta_s}
 * ({@link MlpFewShot}). Variants ({@code learner.fast_slow.variant}): {@code fast-only} (no slow weights; the probe
 * adapts from {@code theta_f}), {@code slow-only} (no fast weights; seen tasks answered with {@code theta_s}); with
 * {@code slow_penalty 0} the slow-only variant is Reptile (Nichol et al. 2018), registered as learner {@code reptile}.
 */
public final class FastSlowLearner implements TaskAwareLearner, ClassIncrementalPredictor, TaskIncrementalPredictor,
        DomainIncrementalPredictor, FewShotAdapter {
    /** Which weights exist. */
    public enum Variant {
        /** Both (the method). */
        FULL,
        /** Fast weights only (ablation). */
        FAST_ONLY,
        /** Slow weights only (ablation; Reptile without the penalty). */
        SLOW_ONLY
    }

    /**
     * @param variant       which weights exist
     * @param innerLr       SGD learning rate of the slow inner loop
     * @param innerEpochs   passes over the support set in the slow inner loop
     * @param beta          Reptile step of the slow weights
     * @param slowPenalty   mu of the proximal penalty
     * @param pull          alpha, pull of the fast weights toward the slow weights before each task
     * @param slowPull      gamma, pull of the slow weights toward the fast weights after each task
     * @param anchorLambda  strength of the fast weights' Fisher anchor (0 = no anchor)
     * @param fisherGamma   decay of the running Fisher
     * @param fisherSamples samples for the Fisher (0 = all)
     */
    public record Coefficients(Variant variant, double innerLr, int innerEpochs, double beta, double slowPenalty,
                               double pull, double slowPull, double anchorLambda, double fisherGamma, int fisherSamples) {
    }

    private final Coefficients k;
    private final FinetuneLearner fast;
    private final MlpClassifier slow;
    private final MlpClassifier inner;
    private final TaskLoop innerLoop;
    private final LearnerContext innerContext;

    public FastSlowLearner(MlpLearnerSpec spec, Coefficients k, LearnerContext ctx) {
        this.k = k;
        List<MlpHook> hooks = k.anchorLambda() > 0 ? List.of(new EwcHook.Settings(EwcPenalty.Kind.ONLINE,
                k.anchorLambda(), k.fisherGamma(), k.fisherSamples(), MlpClassifier.FisherLabels.SAMPLED))
                : List.of();
        this.fast = new FinetuneLearner(spec, ctx, hooks);
        this.slow = new MlpClassifier(spec, ctx); // same "init" stream: theta_s starts equal to theta_f
        MlpLearnerSpec innerSpec = new MlpLearnerSpec(spec.hidden(), spec.activation(),
                MlpLearnerSpec.OptimizerKind.SGD, k.innerLr(), 0.0, spec.batchSize(), k.innerEpochs(), true);
        this.innerContext = new LearnerContext(ctx.scenario(), ctx.trainingMode(), Seeds.derive(ctx.seed(), "slow"),
                TrainingListener.NONE);
        this.inner = new MlpClassifier(innerSpec, innerContext);
        ProximalPenalty penalty = new ProximalPenalty(k.slowPenalty());
        this.innerLoop = new TaskLoop(innerContext, "slow", k.slowPenalty() > 0
                ? List.of(new ProximalHook(penalty, inner.params())) : List.of());
    }

    public Coefficients coefficients() {
        return k;
    }

    /** The fast weights' model (for tests). */
    public MlpClassifier fastModel() {
        return fast.classifier();
    }

    /** The slow weights' model (for tests). */
    public MlpClassifier slowModel() {
        return slow;
    }

    @Override
    public Set<Mode> evaluationModes() {
        return fast.evaluationModes();
    }

    @Override
    public void learn(TrainingExperience e) {
        if (k.variant() != Variant.FAST_ONLY) {
            consolidateSlow(e);
        }
        if (k.variant() != Variant.SLOW_ONLY) {
            INDArray f = fast.classifier().network().params();
            if (k.variant() == Variant.FULL && k.pull() > 0) {
                f.addi(slow.network().params().sub(f).muli(k.pull()));
            }
            fast.learn(e);
            if (k.variant() == Variant.FULL && k.slowPull() > 0) {
                INDArray s = slow.network().params();
                s.addi(f.sub(s).muli(k.slowPull()));
            }
        }
    }

    /** phi = theta_s + inner SGD on the support set (with the proximal penalty); theta_s += beta (phi - theta_s). */
    private void consolidateSlow(TrainingExperience e) {
        INDArray s = slow.network().params();
        INDArray phi = inner.network().params();
        phi.assign(s);
        TaskScope scope = new TaskScope(e.task(), e.data(), new MinibatchSampler(List.of(e.task()),
                List.of(e.data())), innerContext.seed());
        TaskLoop.TaskRun run = innerLoop.begin(scope, inner.spec().batchSize(), inner, true);
        run.train(Budget.epochs(k.innerEpochs()));
        run.finish();
        s.addi(phi.sub(s).muli(k.beta()));
    }

    private MlpClassifier answering() {
        return k.variant() == Variant.SLOW_ONLY ? slow : fast.classifier();
    }

    @Override
    public int[] predict(ClassIncrementalQuery q) {
        return answering().predict(q);
    }

    @Override
    public int[] predict(TaskIncrementalQuery q) {
        return answering().predict(q);
    }

    @Override
    public int[] predict(DomainIncrementalQuery q) {
        return answering().predict(q);
    }

    /** The probe adapts a copy of the slow weights (the fast ones in the fast-only ablation). */
    @Override
    public FewShotPredictor adapt(TaskData support, int ways, Adaptation adaptation) {
        MlpClassifier from = k.variant() == Variant.FAST_ONLY ? fast.classifier() : slow;
        return MlpFewShot.adapt(from.network(), support, ways, adaptation);
    }

    @Override
    public void saveState(StateWriter out) throws IOException {
        fast.saveState(out);
        slow.save("slow", out);
        innerLoop.save(out);
    }

    @Override
    public void loadState(StateReader in) throws IOException {
        fast.loadState(in);
        slow.load("slow", in);
        innerLoop.load(in);
    }
}
