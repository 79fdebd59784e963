package org.cllab.hypernets.contracon;

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
 * {@code learner.type: contracon}, the {@link ContraconLearner} (Roy et al., ICCV 2023) and its two baselines on the
 * same backbone ({@code learner.contracon.variant}): settings, checks and factory.
 */
public final class ContraconLearnerType extends AbstractLearnerType<ContraconLearnerType.ContraconSettings>
        implements LearnerModule {
    /** The backbone: CCT sizes and the re-weighting. */
    @Settings(prefix = "learner.contracon")
    public record ModelKeys(
            @Setting(def = "contracon", doc = "`contracon` (task-0 backbone frozen, per-task convolutional "
                    + "re-weighting of the attention matrices), or a baseline on the same backbone: `finetune` (every "
                    + "task trains the whole shared transformer further, own head) or `independent` (one full "
                    + "backbone per task, the storage upper bound).") ContraconLearner.Variant variant,
            @Setting(def = "2", check = Check.POSITIVE, doc = "Tokenizer 3x3 convolutions, each followed by ReLU and "
                    + "a 2x2 max-pool (2 on 28x28 images: 7x7 = 49 tokens).") int tokenizerLayers,
            @Setting(def = "16", check = Check.POSITIVE, doc = "Channels of the tokenizer convolutions before the "
                    + "last one (which outputs `dim`).") int tokenizerChannels,
            @Setting(def = "64", check = Check.POSITIVE, doc = "Embedding size.") int dim,
            @Setting(def = "4", check = Check.POSITIVE, doc = "Attention heads (`dim` must be a multiple).") int heads,
            @Setting(def = "2", check = Check.POSITIVE, doc = "Transformer layers.") int layers,
            @Setting(def = "2", check = Check.POSITIVE, doc = "Feed-forward hidden size / `dim`.") int mlpRatio,
            @Setting(def = "sine", doc = "Positional embedding: `sine` (fixed, CCT's) or `learned` (shared, frozen "
                    + "after task 0).") Positions positional,
            @Setting(def = "3", check = Check.POSITIVE, doc = "k of the k x k re-weighting convolution over each "
                    + "head's Q/K/V block (odd; the paper's 15 is for 64x256 blocks, ours are dim/heads x dim).")
            int kernel,
            @Setting(def = "gated", doc = "Skip term of the re-weighting: `gated` (sigma(s) W0, s from 1: the "
                    + "paper), `plain` (W0, no gate) or `none` (convolution only); ablations.") CctShape.Skip skip) {
    }

    /** Positional embedding. */
    public enum Positions { SINE, LEARNED }

    /** Training and task identification. */
    @Settings(prefix = "learner.contracon")
    public record TrainKeys(
            @Setting(def = "4", check = Check.POSITIVE, doc = "Epochs per task.") int epochs,
            @Setting(def = "64", check = Check.POSITIVE, doc = "Minibatch size.") int batchSize,
            @Setting(def = "0.0008", check = Check.POSITIVE, doc = "AdamW learning rate (all but the head; the "
                    + "reference's 8e-4).") double lr,
            @Setting(def = "0.0000006", check = Check.NON_NEGATIVE, doc = "AdamW decoupled weight decay (the "
                    + "reference's 6e-7).") double weightDecay,
            @Setting(def = "sgd", doc = "Head optimiser: `sgd` with momentum (the reference) or `adamw` like the "
                    + "rest.") HeadOptimizer headOptimizer,
            @Setting(def = "0.005", check = Check.POSITIVE, doc = "Head SGD learning rate (the reference's 5e-3).")
            double headLr,
            @Setting(def = "0.9", check = Check.UNIT, doc = "Head SGD momentum (our choice: the reference's is not "
                    + "stated in the paper).") double headMomentum,
            @Setting(def = "0", check = Check.NON_NEGATIVE, doc = "Cosine warm-restart period T_0 in epochs; 0 = "
                    + "half the epochs (the reference), at least 1.") int restartEpochs,
            @Setting(def = "0.00001", check = Check.NON_NEGATIVE, doc = "Floor eta_min of the AdamW learning rate "
                    + "(the head's floor is scaled by head_lr / lr).") double etaMin,
            @Setting(def = "0.1", check = Check.FRACTION, doc = "Label smoothing of the cross-entropy over the "
                    + "task's local labels.") double labelSmoothing,
            @Setting(def = "0.1", check = Check.FRACTION, doc = "Fraction of each task's training data held out to "
                    + "select the epoch (never test data); 0 = keep the last epoch.") double validation,
            @Setting(def = "16", check = Check.POSITIVE, doc = "Views per test image for task identification "
                    + "without a task id (V; the reference's 16).") int views,
            @Setting(def = "6", check = Check.POSITIVE, doc = "Copies of the original among the views (the "
                    + "reference's 6); the rest are augmented.") int copies,
            @Setting(def = "2", check = Check.NON_NEGATIVE, doc = "Augmented views: maximal shift in pixels.")
            int shift,
            @Setting(def = "10", check = Check.NON_NEGATIVE, doc = "Augmented views: maximal rotation in degrees.")
            double degrees,
            @Setting(def = "0.1", check = Check.NON_NEGATIVE, doc = "Augmented views: Gaussian noise std (pixels in "
                    + "[0, 1]).") double noise,
            @Setting(def = "false", doc = "Train on augmented images: every training image gets a fresh random "
                    + "shift, rotation and noise as the augmented views (`shift`, `degrees`, `noise`), as the reference "
                    + "trains on augmented images (random crops, flips, rotations, AutoAugment) and then averages over "
                    + "augmented views.") boolean trainAugment) {
    }

    /** Head optimiser. */
    public enum HeadOptimizer { SGD, ADAMW }

    /** Settings of {@code contracon}. */
    @Settings(prefix = "learner")
    public record ContraconSettings(ModelKeys model, TrainKeys train) {
    }

    public ContraconLearnerType() {
        super("contracon", ContraconSettings.class, "ConTraCon (Roy et al. 2023): a compact convolutional transformer "
                + "whose frozen task-0 attention matrices are re-weighted per task by small convolutions "
                + "(`learner.contracon.*`; task-incremental training, class-incremental evaluation by entropy over "
                + "augmented views)", EnumSet.of(Mode.TASK_INCREMENTAL),
                m -> EnumSet.of(Mode.TASK_INCREMENTAL, Mode.CLASS_INCREMENTAL));
    }

    @Override
    public List<LearnerType<?>> learnerTypes() {
        return List.of(this);
    }

    @Override
    public void check(ContraconSettings s, ScenarioFacts facts) {
        if (facts.trainingMode() != Mode.TASK_INCREMENTAL) {
            throw new SettingProblem("scenario.mode", "contracon trains one head per task: use task-incremental "
                    + "(class-incremental evaluation then identifies the task by entropy)");
        }
        if (facts.encoded() || facts.dataset().isEmpty()) {
            throw new SettingProblem("learner.type", "contracon needs images (an image dataset, no frozen encoder)");
        }
        ModelKeys m = s.model();
        if (m.dim() % m.heads() != 0) {
            throw new SettingProblem("learner.contracon.heads", "dim " + m.dim() + " is not a multiple of heads "
                    + m.heads());
        }
        if (m.kernel() % 2 == 0) {
            throw new SettingProblem("learner.contracon.kernel", "must be odd (\"same\" padding), got " + m.kernel());
        }
        if (s.train().copies() > s.train().views()) {
            throw new SettingProblem("learner.contracon.copies", "must be <= learner.contracon.views ("
                    + s.train().views() + "), got " + s.train().copies());
        }
    }

    @Override
    public ContinualLearner create(ContraconSettings s, LearnerContext ctx, LearnerResources resources) {
        ModelKeys m = s.model();
        TrainKeys t = s.train();
        int[] in = ctx.scenario().inputShape();
        if (in.length != 3) {
            throw new IllegalArgumentException("contracon needs [channels, rows, cols] inputs, got "
                    + java.util.Arrays.toString(in));
        }
        CctShape shape = new CctShape(in[0], in[1], in[2], m.tokenizerLayers(), m.tokenizerChannels(), m.dim(),
                m.heads(), m.layers(), m.mlpRatio(), m.positional() == Positions.LEARNED,
                ctx.scenario().localClasses(), m.kernel(), m.skip());
        ContraconLearner.Settings spec = new ContraconLearner.Settings(m.variant(), t.epochs(), t.batchSize(), t.lr(),
                t.weightDecay(), t.headOptimizer() == HeadOptimizer.SGD, t.headLr(), t.headMomentum(),
                t.restartEpochs(), t.etaMin(), t.labelSmoothing(), t.validation(), t.views(), t.copies(), t.shift(),
                t.degrees(), t.noise(), t.trainAugment());
        return new ContraconLearner(shape, spec, ctx);
    }
}
