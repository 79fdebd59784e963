package org.cllab.core.learners.dkvb;

import java.util.EnumSet;
import java.util.List;
import org.cllab.core.api.ContinualLearner;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;
import org.cllab.core.rng.Rng;
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
 * The discrete key-value bottleneck ({@link DkvbLearner}) as a plug-in: {@code learner.type: dkvb}, its
 * {@code learner.dkvb.*} keys, and {@code learner.batch_size} as the stream batch size.
 */
public final class DkvbLearnerType extends AbstractLearnerType<DkvbLearnerType.DkvbSettings> implements LearnerModule {
    /** Settings of {@code dkvb}. */
    @Settings(prefix = "learner")
    public record DkvbSettings(
            @Setting(def = "128", check = Check.POSITIVE, doc = "Stream batch size: samples per `observe` call.")
            int batchSize,
            Keys dkvb) {
    }

    /** {@code learner.dkvb.*}. */
    @Settings(prefix = "learner.dkvb")
    public record Keys(
            @Setting(def = "256", check = Check.POSITIVE, doc = "Number of codebooks (heads) C.") int codebooks,
            @Setting(def = "4096", check = Check.POSITIVE, doc = "Key-value pairs per codebook M.") int pairs,
            @Setting(def = "14", check = Check.POSITIVE, doc = "Dimension of a key (and of a head); with `split: "
                    + "chunk` it must be the feature dimension / C.") int keyDim,
            @Setting(def = "1", check = Check.POSITIVE, doc = "Keys fetched per head (1 in the paper).") int topK,
            @Setting(def = "0", check = Check.NON_NEGATIVE, doc = "Dimension of a value; 0 = number of classes "
                    + "(required by the mean decoder).") int valueDim,
            @Setting(def = "random-projection", doc = "Heads from C fixed random projections (L2-normalised "
                    + "columns) or from consecutive chunks of the features (C = 1: the identity).") DkvbSpec.Split split,
            @Setting(def = "mean", doc = "Logits = mean of the fetched values (parameter-free) or a trained linear "
                    + "layer on that mean.") DkvbSpec.Decoder decoder,
            @Setting(def = "0.3", check = Check.POSITIVE, doc = "SGD learning rate of the values.") double lr,
            @Setting(def = "0.1", check = Check.FRACTION, doc = "Label smoothing of the cross-entropy.")
            double labelSmoothing,
            @Setting(def = "1.0", check = Check.NON_NEGATIVE, doc = "Gradient-norm clip; 0 = none.") double clipNorm,
            @Setting(def = "1", check = Check.POSITIVE, doc = "SGD steps on each stream batch (its key indices are "
                    + "computed once and reused).") int stepsPerBatch,
            @Setting(def = "fashion-mnist", allowed = {"uniform", "mnist", "fashion-mnist"}, doc = "Unlabeled data for "
                    + "the key initialisation, from another source than the stream: `uniform` points on [0,1]^d (the "
                    + "toy) or a dataset's training images (through `scenario.encoder` if set; the dataset's default "
                    + "location).") String keyInit,
            @Setting(def = "10000", check = Check.POSITIVE, doc = "Samples drawn for the key initialisation.")
            int initSamples,
            @Setting(def = "1", check = Check.POSITIVE, doc = "EMA k-means passes over them.") int initEpochs,
            @Setting(def = "256", check = Check.POSITIVE, doc = "EMA k-means batch size B.") int initBatchSize,
            @Setting(def = "0.95", check = Check.FRACTION, doc = "EMA decay of the key initialisation.")
            double initDecay,
            @Setting(def = "1e-5", check = Check.POSITIVE, doc = "Laplace smoothing of the EMA cluster sizes.")
            double initEps,
            @Setting(def = "0.1", check = Check.NON_NEGATIVE, doc = "A key whose EMA cluster size falls below "
                    + "dead_fraction * B / M is re-seeded from the batch.") double deadFraction) {
    }

    public DkvbLearnerType() {
        super("dkvb", DkvbSettings.class, "the discrete key-value bottleneck (Traeuble et al. 2023), a boundary-free "
                + "streaming learner (`learner.dkvb.*`; uses `learner.batch_size` as stream batch size and none of the "
                + "other MLP keys)", EnumSet.of(Mode.CLASS_INCREMENTAL, Mode.DOMAIN_INCREMENTAL), EnumSet::of);
    }

    @Override
    public List<LearnerType<?>> learnerTypes() {
        return List.of(this);
    }

    @Override
    public void check(DkvbSettings settings, ScenarioFacts facts) {
        Keys k = settings.dkvb();
        if (facts.trainingMode() == Mode.TASK_INCREMENTAL) {
            throw new SettingProblem("scenario.mode", "dkvb never receives task ids: train it class-incremental or "
                    + "domain-incremental");
        }
        if (facts.dataset().isPresent() && k.keyInit().equals(facts.dataset().get())) {
            throw new SettingProblem("learner.dkvb.key_init", "keys must be initialised on another source than the "
                    + "stream (" + facts.dataset().get() + ")");
        }
        if (k.topK() > k.pairs()) {
            throw new SettingProblem("learner.dkvb.top_k", "top-k " + k.topK() + " exceeds the " + k.pairs()
                    + " pairs per codebook");
        }
        if (k.decoder() == DkvbSpec.Decoder.MEAN && k.valueDim() != 0) {
            throw new SettingProblem("learner.dkvb.value_dim", "the mean decoder needs value_dim 0 (= number of "
                    + "classes)");
        }
        if (k.initDecay() <= 0) {
            throw new SettingProblem("learner.dkvb.init_decay", "must be in (0, 1)");
        }
    }

    @Override
    public ContinualLearner create(DkvbSettings s, LearnerContext ctx, LearnerResources resources) {
        Keys k = s.dkvb();
        DkvbSpec spec;
        try {
            spec = new DkvbSpec(k.codebooks(), k.pairs(), k.keyDim(), k.topK(), k.valueDim(), k.split(), k.decoder(),
                    k.lr(), k.labelSmoothing(), k.clipNorm(), s.batchSize(), k.stepsPerBatch(), k.initDecay(),
                    k.initEps(), k.deadFraction(), k.initSamples(), k.initEpochs(), k.initBatchSize());
        } catch (IllegalArgumentException e) {
            throw new SettingProblem("learner.dkvb", e.getMessage());
        }
        if (spec.split() == DkvbSpec.Split.CHUNK && spec.codebooks() * spec.keyDim() != ctx.scenario().featureDim()) {
            throw new SettingProblem("learner.dkvb.key_dim", "split chunk needs codebooks x key_dim = feature dim "
                    + ctx.scenario().featureDim() + ", got " + spec.codebooks() + " x " + spec.keyDim());
        }
        try {
            return new DkvbLearner(spec, ctx, keyInitSource(k.keyInit(), resources));
        } catch (IllegalArgumentException e) {
            throw new SettingProblem("learner.dkvb", e.getMessage());
        }
    }

    /** Unlabeled key-initialisation data, loaded lazily on the learner's first batch. */
    private static KeyInitSource keyInitSource(String init, LearnerResources resources) {
        if (init.equals("uniform")) {
            return KeyInitSource.uniform(0, 1);
        }
        String description = init + " training images" + (resources.encodedInputs() ? " through the frozen encoder"
                : "");
        return new KeyInitSource() {
            private KeyInitSource pool;

            @Override
            public float[] draw(int n, int featureDim, Rng rng) {
                if (pool == null) {
                    LearnerResources.Features f = resources.trainingFeatures(init);
                    pool = KeyInitSource.pool(f.values(), f.dim(), description);
                }
                return pool.draw(n, featureDim, rng);
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }
}
