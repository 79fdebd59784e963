package org.cllab.meta.rtl;

import java.util.EnumSet;
import java.util.List;
import org.cllab.core.api.ContinualLearner;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;
import org.cllab.core.spi.AbstractLearnerType;
import org.cllab.core.spi.Check;
import org.cllab.core.spi.LearnerModule;
import org.cllab.core.spi.LearnerResources;
import org.cllab.core.spi.LearnerType;
import org.cllab.core.spi.ScenarioFacts;
import org.cllab.core.spi.Setting;
import org.cllab.core.spi.SettingProblem;
import org.cllab.core.spi.Settings;

/**
 * {@code learner.type: meta-rtl}, the {@link MetaRtlLearner} (Meta-RTL, arXiv 2409.19075; our reconstruction): its
 * settings ({@code learner.meta_rtl.*}, including the baselines as {@code weighting}), checks and factory.
 */
public final class MetaRtlLearnerType extends AbstractLearnerType<MetaRtlLearnerType.MetaRtlSettings>
        implements LearnerModule {
    /** Settings of {@code meta-rtl}. */
    @Settings(prefix = "learner")
    public record MetaRtlSettings(Keys metaRtl) {
    }

    /** {@code learner.meta_rtl.*}. */
    @Settings(prefix = "learner.meta_rtl")
    public record Keys(
            @Setting(def = "[128]", check = Check.POSITIVE, doc = "Hidden layer sizes of the shared MLP body (ReLU "
                    + "after each); every source and every task has a linear head on the last.") int[] hidden,
            @Setting(def = "lstm", doc = "Source weights: `lstm` (Meta-RTL's LSTM policy), `mlp` (memoryless "
                    + "policy), `uniform` (plain multi-source Reptile), `single` (all on `learner.meta_rtl.source`), "
                    + "`multitask` (the same source SGD steps on the meta model directly: multi-task pre-training), "
                    + "`none` (target only). All on the same budget.") MetaRtlLearner.Weighting weighting,
            @Setting(def = "0", check = Check.NON_NEGATIVE, doc = "Source index (order of `scenario.sources`) for "
                    + "`weighting: single`.") int source,
            @Setting(def = "50", check = Check.NON_NEGATIVE, doc = "Meta-iterations before fine-tuning.")
            int metaIterations,
            @Setting(def = "5", check = Check.POSITIVE, doc = "SGD steps of each source's temporal model per "
                    + "meta-iteration.") int innerSteps,
            @Setting(def = "0.05", check = Check.POSITIVE, doc = "SGD rate of the temporal models and of the "
                    + "target-head steps.") double innerLr,
            @Setting(def = "1.0", check = Check.POSITIVE, doc = "Reptile step size on the body: theta += meta_lr * "
                    + "sum_i w_i (theta_i - theta).") double metaLr,
            @Setting(def = "2", check = Check.NON_NEGATIVE, doc = "SGD steps on the target head alone (body fixed) "
                    + "per meta-iteration, before the rewards are measured.") int headSteps,
            @Setting(def = "32", check = Check.POSITIVE, doc = "Minibatch size (source steps, target batch of the "
                    + "reward, fine-tuning).") int batchSize,
            @Setting(def = "16", check = Check.POSITIVE, doc = "Hidden units of the policy (LSTM cell or MLP).")
            int policyHidden,
            @Setting(def = "0.01", check = Check.POSITIVE, doc = "Adam rate of the policy.") double policyLr,
            @Setting(def = "5", check = Check.POSITIVE, doc = "LSTM policy: inputs back-propagated through "
                    + "(truncated BPTT window).") int policyWindow,
            @Setting(def = "4", check = Check.POSITIVE, doc = "Sources sampled from the policy per REINFORCE step.")
            int policySamples,
            @Setting(def = "0.3", check = Check.NON_NEGATIVE, doc = "Entropy bonus of the policy loss (rewards are "
                    + "standardised per iteration, so this is relative to one standard deviation of reward).")
            double entropyBonus,
            @Setting(def = "0.9", check = Check.FRACTION, doc = "Decay of the moving-average REINFORCE baseline.")
            double baselineDecay,
            @Setting(def = "200", check = Check.NON_NEGATIVE, doc = "SGD steps of fine-tuning (body and target "
                    + "head) on the target's training data.") int finetuneSteps,
            @Setting(def = "0.05", check = Check.POSITIVE, doc = "SGD rate of fine-tuning.") double finetuneLr,
            @Setting(def = "20", check = Check.POSITIVE, doc = "Fine-tuning steps between evaluations on the "
                    + "target's validation split (the best is kept).") int evalEvery,
            @Setting(def = "0", check = Check.NON_NEGATIVE, doc = "Reward reference (ours, not in the paper): `0` "
                    + "measures each source's reward against the current meta model (reward_i = L(meta) - "
                    + "L(temporal_i) on the target batch); N > 0 measures it against a snapshot of the meta model "
                    + "(body, target and source heads; its target head keeps taking the `head_steps` on the snapshot body) "
                    + "refreshed every N meta-iterations, temporal_i = the snapshot "
                    + "after `inner_steps` SGD steps on source i, so that a source's reward does not fall merely "
                    + "because the body has absorbed it. Costs `inner_steps` extra SGD steps per source and "
                    + "`head_steps` per iteration between refreshes (they change no parameter of the meta model).") int rewardSnapshotEvery,
            @Setting(def = "0.0", check = Check.FRACTION, doc = "Reward smoothing (ours, not in the paper): the "
                    + "policy gets a per-source exponential moving average of the rewards, rbar_i <- rho rbar_i + "
                    + "(1 - rho) r_i (started at the first iteration's rewards, restarted per task); `0` = this "
                    + "iteration's rewards.") double rewardSmoothing) {
        public Keys {
            hidden = hidden.clone();
        }

        @Override
        public int[] hidden() {
            return hidden.clone();
        }
    }

    public MetaRtlLearnerType() {
        super("meta-rtl", MetaRtlSettings.class, "Meta-RTL (Fu et al., arXiv 2409.19075; our reconstruction on "
                + "MLPs): multi-source meta-transfer with source weights from an LSTM policy trained by REINFORCE on "
                + "target-loss rewards, weighted Reptile, then K-shot fine-tuning selected on the target's "
                + "validation split; its baselines through `learner.meta_rtl.weighting` (`learner.meta_rtl.*` only)",
                EnumSet.of(Mode.TASK_INCREMENTAL), EnumSet::of);
    }

    @Override
    public List<LearnerType<?>> learnerTypes() {
        return List.of(this);
    }

    @Override
    public void check(MetaRtlSettings s, ScenarioFacts facts) {
        if (s.metaRtl().hidden().length == 0) {
            throw new SettingProblem("learner.meta_rtl.hidden", "needs at least one hidden layer");
        }
    }

    @Override
    public ContinualLearner create(MetaRtlSettings s, LearnerContext context, LearnerResources resources) {
        Keys k = s.metaRtl();
        return new MetaRtlLearner(new MetaRtlLearner.Config(k.hidden(), k.weighting(), k.source(),
                k.metaIterations(), k.innerSteps(), k.innerLr(), k.metaLr(), k.headSteps(), k.batchSize(),
                k.policyHidden(), k.policyLr(), k.policyWindow(), k.policySamples(), k.entropyBonus(),
                k.baselineDecay(), k.finetuneSteps(), k.finetuneLr(), k.evalEvery(), k.rewardSnapshotEvery(),
                k.rewardSmoothing()), context);
    }
}
