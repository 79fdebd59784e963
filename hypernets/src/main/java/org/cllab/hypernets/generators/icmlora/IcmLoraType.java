package org.cllab.hypernets.generators.icmlora;

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
 * The {@code icm-lora} learner type (Shao et al., "In-Context Meta LoRA Generation", IJCAI 2025): settings, checks
 * and factory of {@link IcmLoraLearner}. Task-incremental training and evaluation (a test query's task picks the
 * adapter to generate).
 */
public final class IcmLoraType extends AbstractLearnerType<IcmLoraType.IcmLoraSettings> implements LearnerModule {
    /** Settings of {@code icm-lora}. */
    @Settings(prefix = "learner")
    public record IcmLoraSettings(Keys icmLora) {
    }

    /** {@code learner.icm_lora.*}. */
    @Settings(prefix = "learner.icm_lora")
    public record Keys(
            @Setting(def = "[100, 100]", check = Check.POSITIVE, doc = "Hidden layer sizes of the base MLP.")
            int[] hidden,
            @Setting(def = "4", check = Check.POSITIVE, doc = "LoRA rank r of every linear layer's adapter.") int rank,
            @Setting(def = "8.0", check = Check.POSITIVE, doc = "LoRA alpha: the adapter is scaled by alpha / r.")
            double alpha,
            @Setting(def = "1", check = Check.POSITIVE, doc = "Leading tasks that pre-train the base MLP (all its "
                    + "weights); it is frozen afterwards and later tasks train adapters.") int baseTasks,
            @Setting(def = "5", check = Check.POSITIVE, doc = "Passes over each base task.") int baseEpochs,
            @Setting(def = "0.001", check = Check.POSITIVE, doc = "Adam learning rate of the base pre-training.")
            double baseLr,
            @Setting(def = "40", check = Check.POSITIVE, doc = "Passes over each adapter task. Enough for the adapter "
                    + "to converge: its kept checkpoints are the last steps, and the generator reproduces about their "
                    + "mean (with 10 epochs on Rotated MNIST the mean trailed the last checkpoint by up to 0.09 on validation).")
            int epochs,
            @Setting(def = "0.003", check = Check.POSITIVE, doc = "Adam learning rate of the adapters.") double lr,
            @Setting(def = "128", check = Check.POSITIVE, doc = "Minibatch size of base and adapter training.")
            int batchSize,
            @Setting(def = "20", check = Check.POSITIVE, doc = "Adapter checkpoints kept per task (the last ones of "
                    + "its training): the generator's training data.") int checkpoints,
            @Setting(def = "5", check = Check.POSITIVE, doc = "Optimiser steps between kept checkpoints.")
            int checkpointEvery,
            @Setting(def = "adapted", doc = "Model that computes a task vector: `adapted` (base + the task's trained "
                    + "adapter, as the reference; a held-out task uses `base`) or `base` (usable for a new task).")
            TaskVectors.Source taskVector,
            @Setting(def = "30", check = Check.POSITIVE, doc = "Training samples averaged into a task vector.")
            int taskVectorSamples,
            @Setting(def = "32", check = Check.POSITIVE, doc = "Latent size of the conditional VAE.") int latent,
            @Setting(def = "256", check = Check.POSITIVE, doc = "Hidden width of the VAE's encoder and decoder.")
            int vaeHidden,
            @Setting(def = "64", check = Check.POSITIVE, doc = "Width of the condition embedding fed to every VAE "
                    + "layer.") int condEmb,
            @Setting(def = "0.005", check = Check.NON_NEGATIVE, doc = "Weight of the KL term (MSE + weight * KL).")
            double klWeight,
            @Setting(def = "1000", check = Check.NON_NEGATIVE, doc = "Generator optimiser steps after each adapter "
                    + "task.") int generatorSteps,
            @Setting(def = "0.001", check = Check.POSITIVE, doc = "Adam learning rate of the generator.")
            double generatorLr,
            @Setting(def = "32", check = Check.POSITIVE, doc = "Rows per generator step.") int generatorBatch,
            @Setting(def = "generative", doc = "How the generator keeps earlier tasks: `generative` (replays samples "
                    + "it generates for them), `stored` (every real checkpoint, non-continual upper bound), `none`.")
            IcmLoraLearner.Replay replay,
            @Setting(def = "20", check = Check.POSITIVE, doc = "Generated rows per earlier task in each generative "
                    + "replay.") int replaySamples,
            @Setting(def = "[]", defText = "[] (none)", check = Check.NON_NEGATIVE, doc = "Tasks whose adapters the "
                    + "generator never trains on (unseen tasks; their adapter is still trained as a reference).")
            int[] heldOut,
            @Setting(def = "0", check = Check.NON_NEGATIVE, doc = "0: decode the prior mean z = 0; k > 0: decode k "
                    + "draws z ~ N(0, I) and keep the best on the task's validation split.") int zCandidates,
            @Setting(def = "200", check = Check.NON_NEGATIVE, doc = "Validation samples carved from each task's "
                    + "training data (at most a tenth), for `z_candidates` and the logged comparison.")
            int validation,
            @Setting(def = "generated", doc = "Answer test queries with the `generated` adapter, or for the "
                    + "comparison tables the `trained` one, the `base` alone, a `random` adapter (N(mean, std) per "
                    + "tensor) or the generator under the `wrong-task` vector (the next seen task's).")
            IcmLoraLearner.Answer answer) {
        public Keys {
            hidden = hidden.clone();
            heldOut = heldOut.clone();
        }

        @Override
        public int[] hidden() {
            return hidden.clone();
        }

        @Override
        public int[] heldOut() {
            return heldOut.clone();
        }
    }

    public IcmLoraType() {
        super("icm-lora", IcmLoraSettings.class, "ICM-LoRA: a conditional VAE generates each task's LoRA adapter "
                        + "from its task vector (Shao et al. 2025; `learner.icm_lora.*`; task-incremental)",
                EnumSet.of(Mode.TASK_INCREMENTAL), m -> EnumSet.of(Mode.TASK_INCREMENTAL));
    }

    @Override
    public List<LearnerType<?>> learnerTypes() {
        return List.of(this);
    }

    @Override
    public void check(IcmLoraSettings s, ScenarioFacts facts) {
        if (facts.trainingMode() != Mode.TASK_INCREMENTAL) {
            throw new SettingProblem("scenario.mode", "icm-lora answers with the adapter of the query's task: use "
                    + "task-incremental");
        }
        Keys k = s.icmLora();
        if (k.baseTasks() >= facts.tasks()) {
            throw new SettingProblem("learner.icm_lora.base_tasks", k.baseTasks() + " base tasks leave no adapter task "
                    + "among " + facts.tasks());
        }
        for (int h : k.heldOut()) {
            if (h < k.baseTasks() || h >= facts.tasks()) {
                throw new SettingProblem("learner.icm_lora.held_out", "task " + h + " is not an adapter task (they are "
                        + k.baseTasks() + ".." + (facts.tasks() - 1) + ")");
            }
        }
    }

    @Override
    public ContinualLearner create(IcmLoraSettings s, LearnerContext ctx, LearnerResources resources) {
        Keys k = s.icmLora();
        return new IcmLoraLearner(new IcmLoraLearner.Spec(k.hidden(), k.rank(), k.alpha(), k.baseTasks(),
                k.baseEpochs(), k.baseLr(), k.epochs(), k.lr(), k.batchSize(), k.checkpoints(), k.checkpointEvery(),
                k.taskVector(), k.taskVectorSamples(), k.latent(), k.vaeHidden(), k.condEmb(), k.klWeight(),
                k.generatorSteps(), k.generatorLr(), k.generatorBatch(), k.replay(), k.replaySamples(), k.heldOut(),
                k.zCandidates(), k.validation(), k.answer()), ctx);
    }
}
