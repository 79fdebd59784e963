package org.cllab.meta.fastslow;

import java.util.EnumSet;
import java.util.List;
import org.cllab.core.api.ContinualLearner;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;
import org.cllab.core.learners.MlpSettings;
import org.cllab.core.learners.OutputLayout;
import org.cllab.core.spi.AbstractLearnerType;
import org.cllab.core.spi.Check;
import org.cllab.core.spi.LearnerModule;
import org.cllab.core.spi.LearnerResources;
import org.cllab.core.spi.LearnerType;
import org.cllab.core.spi.Setting;
import org.cllab.core.spi.Settings;

/**
 * The learner types {@code fast-slow} ({@link FastSlowLearner}, arXiv 2104.09034, our reconstruction) and
 * {@code reptile} (its slow weights alone without the penalty: Reptile, Nichol et al. 2018) as plug-ins.
 */
public final class FastSlowLearners implements LearnerModule {
    /** {@code learner.slow.*}: the slow weights' Reptile consolidation, shared by fast-slow and reptile. */
    @Settings(prefix = "learner.slow")
    public record SlowKeys(
            @Setting(def = "0.05", check = Check.POSITIVE, doc = "`fast-slow`, `reptile`: plain-SGD learning rate of "
                    + "the inner loop that adapts phi from the slow weights on a task's support set.") double innerLr,
            @Setting(def = "10", check = Check.POSITIVE, doc = "`fast-slow`, `reptile`: passes of the inner loop over "
                    + "the support set (minibatches of `learner.batch_size`).") int innerEpochs,
            @Setting(def = "0.5", check = Check.UNIT, doc = "`fast-slow`, `reptile`: Reptile step beta in theta_s += "
                    + "beta (phi - theta_s).") double step) {
    }

    /** {@code learner.fast_slow.*}. */
    @Settings(prefix = "learner.fast_slow")
    public record FastSlowKeys(
            @Setting(def = "full", doc = "`fast-slow`: which weights exist: `full` (both), `fast-only` (ablation: "
                    + "no slow weights, the probe adapts from the fast ones), `slow-only` (ablation: no fast weights, "
                    + "seen tasks answered by the slow ones).") FastSlowLearner.Variant variant,
            @Setting(def = "0.1", check = Check.NON_NEGATIVE, doc = "`fast-slow`: mu of the slow weights' penalty "
                    + "against overfitting, mu/2 ||phi - theta_s||^2 in the inner loop (0 = no slow penalty).")
            double slowPenalty,
            @Setting(def = "0.0", check = Check.UNIT, doc = "`fast-slow`: alpha, pull of the fast weights toward the "
                    + "slow ones before each task, theta_f += alpha (theta_s - theta_f).") double pull,
            @Setting(def = "0.0", check = Check.UNIT, doc = "`fast-slow`: gamma, pull of the slow weights toward the "
                    + "fast ones after each task, theta_s += gamma (theta_f - theta_s) (0 = the slow weights never "
                    + "read the fast ones).") double slowPull,
            @Setting(def = "100.0", check = Check.NON_NEGATIVE, doc = "`fast-slow`: strength of the fast weights' "
                    + "anchor to their consolidated value, lambda/2 sum F (theta_f - theta_f*)^2 with an online "
                    + "diagonal Fisher F (0 = no fast anchor).") double anchorLambda,
            @Setting(def = "1.0", check = Check.UNIT, doc = "`fast-slow`: decay of the running Fisher, F = gamma "
                    + "F_old + F_t.") double fisherGamma,
            @Setting(def = "0", check = Check.NON_NEGATIVE, doc = "`fast-slow`: support samples used for the Fisher; "
                    + "0 = all.") int fisherSamples) {
    }

    /** Settings of {@code fast-slow}. */
    @Settings(prefix = "learner")
    public record FastSlowSettings(MlpSettings mlp, SlowKeys slow, FastSlowKeys fastSlow) {
    }

    /** Settings of {@code reptile}. */
    @Settings(prefix = "learner")
    public record ReptileSettings(MlpSettings mlp, SlowKeys slow) {
    }

    @Override
    public List<LearnerType<?>> learnerTypes() {
        return List.of(new AbstractLearnerType<>("fast-slow", FastSlowSettings.class, "few-shot continual learning "
                + "with fast and slow weights (Wang et al., arXiv 2104.09034; our reconstruction: fast weights with an "
                + "online-Fisher anchor, slow weights by Reptile with a proximal penalty; `learner.fast_slow.*`, "
                + "`learner.slow.*`)", EnumSet.allOf(Mode.class), OutputLayout::evaluationModes) {
            @Override
            public ContinualLearner create(FastSlowSettings s, LearnerContext ctx, LearnerResources resources) {
                FastSlowKeys f = s.fastSlow();
                return new FastSlowLearner(s.mlp().spec(), new FastSlowLearner.Coefficients(f.variant(),
                        s.slow().innerLr(), s.slow().innerEpochs(), s.slow().step(), f.slowPenalty(), f.pull(),
                        f.slowPull(), f.anchorLambda(), f.fisherGamma(), f.fisherSamples()), ctx);
            }
        }, new AbstractLearnerType<>("reptile", ReptileSettings.class, "Reptile (Nichol et al. 2018): the slow "
                + "weights of `fast-slow` alone, without the penalty; seen tasks and the probe use them "
                + "(`learner.slow.*`)", EnumSet.allOf(Mode.class), OutputLayout::evaluationModes) {
            @Override
            public ContinualLearner create(ReptileSettings s, LearnerContext ctx, LearnerResources resources) {
                return new FastSlowLearner(s.mlp().spec(), new FastSlowLearner.Coefficients(
                        FastSlowLearner.Variant.SLOW_ONLY, s.slow().innerLr(), s.slow().innerEpochs(),
                        s.slow().step(), 0.0, 0.0, 0.0, 0.0, 1.0, 0), ctx);
            }
        });
    }
}
