package org.cllab.hypernets.generators.d2nwg;

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
 * {@code learner.type: d2nwg}, the {@link D2nwgLearner} (Soro et al., "Diffusion-Based Neural Network Weights
 * Generation", ICLR 2025; continual variant with weight-space generative replay, our reconstruction): its settings
 * ({@code learner.d2nwg.*}), checks and factory. Task-incremental only: every task's head is generated from that
 * task's condition.
 */
public final class D2nwgLearnerType extends AbstractLearnerType<D2nwgLearnerType.D2nwgSettings>
        implements LearnerModule {
    /** Settings of {@code d2nwg}. */
    @Settings(prefix = "learner")
    public record D2nwgSettings(Keys d2nwg) {
    }

    /** {@code learner.d2nwg.*}. */
    @Settings(prefix = "learner.d2nwg")
    public record Keys(
            @Setting(def = "3", check = Check.POSITIVE, doc = "Heads trained per task for the task's zoo.") int seeds,
            @Setting(def = "3", check = Check.POSITIVE, doc = "Last checkpoints of each head kept in the zoo.")
            int checkpoints,
            @Setting(def = "200", check = Check.POSITIVE, doc = "Adam steps per zoo head.") int headSteps,
            @Setting(def = "20", check = Check.POSITIVE, doc = "Steps between kept zoo checkpoints.") int every,
            @Setting(def = "64", check = Check.POSITIVE, doc = "Minibatch size of the zoo heads.") int batchSize,
            @Setting(def = "0.01", check = Check.POSITIVE, doc = "Adam learning rate of the zoo heads.") double headLr,
            @Setting(def = "20", check = Check.POSITIVE, doc = "Training samples kept per class of each task: its "
                    + "condition, and the samples that choose among generated heads.") int memory,
            @Setting(def = "true", doc = "Weight-space generative replay: the generator is also updated on its own "
                    + "samples for the earlier tasks' conditions.") boolean replay,
            @Setting(def = "9", check = Check.POSITIVE, doc = "Generated heads per earlier task in the replay.")
            int replaySamples,
            @Setting(def = "32", check = Check.POSITIVE, doc = "VAE latent size.") int latent,
            @Setting(def = "256", check = Check.POSITIVE, doc = "Hidden units of the VAE encoder and decoder.")
            int vaeHidden,
            @Setting(def = "100", check = Check.POSITIVE, doc = "VAE epochs per task.") int vaeEpochs,
            @Setting(def = "256", check = Check.POSITIVE, doc = "Hidden units of the denoiser (two layers).")
            int hidden,
            @Setting(def = "1500", check = Check.POSITIVE, doc = "Joint diffusion and set-encoder steps per task.")
            int trainSteps,
            @Setting(def = "50", check = Check.POSITIVE, doc = "DDIM sampling steps (of T = 1000).") int ddimSteps,
            @Setting(def = "5", check = Check.POSITIVE, doc = "Support samples per class in a condition.") int shots,
            @Setting(def = "10", check = Check.POSITIVE, doc = "Heads generated per task; the best on the task's "
                    + "kept training samples answers its queries.") int samples) {
        GeneratorSettings generator() {
            GeneratorSettings d = GeneratorSettings.defaults();
            return new GeneratorSettings(latent, vaeHidden, d.klWeight(), vaeEpochs, 32, 32, hidden, d.timeDim(),
                    d.steps(), trainSteps, d.batch(), d.lr(), d.ema(), ddimSteps, shots, samples, d.scaleLatents(),
                    d.rowChunks());
        }
    }

    public D2nwgLearnerType() {
        super("d2nwg", D2nwgSettings.class, "D2NWG (Soro et al., ICLR 2025): a latent diffusion model generates each "
                + "task's classification head from a few of its samples; continual with weight-space generative "
                + "replay (`learner.d2nwg.*`, none of the MLP keys; task-incremental)",
                EnumSet.of(Mode.TASK_INCREMENTAL), EnumSet::of);
    }

    @Override
    public List<LearnerType<?>> learnerTypes() {
        return List.of(this);
    }

    @Override
    public void check(D2nwgSettings s, ScenarioFacts facts) {
        if (facts.trainingMode() != Mode.TASK_INCREMENTAL) {
            throw new SettingProblem("scenario.mode", "d2nwg generates a head per task from that task's samples: "
                    + "train it task-incremental");
        }
        Keys k = s.d2nwg();
        if ((long) k.checkpoints() * k.every() > k.headSteps()) {
            throw new SettingProblem("learner.d2nwg.checkpoints", "checkpoints x every exceeds head_steps");
        }
        if (k.ddimSteps() > 1000) {
            throw new SettingProblem("learner.d2nwg.ddim_steps", "at most T = 1000");
        }
    }

    @Override
    public ContinualLearner create(D2nwgSettings s, LearnerContext context, LearnerResources resources) {
        Keys k = s.d2nwg();
        return new D2nwgLearner(context, k.generator(), new D2nwgLearner.Options(k.seeds(), k.checkpoints(),
                k.headSteps(), k.every(), k.batchSize(), k.headLr(), k.memory(), k.replay(), k.replaySamples()));
    }
}
