package org.cllab.runs.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cllab.core.api.ContinualLearner;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;
import org.cllab.core.api.Scenario;
import org.cllab.core.api.TrainingListener;
import org.cllab.core.learners.EwcHook;
import org.cllab.core.learners.FinetuneLearner;
import org.cllab.core.learners.JointLearner;
import org.cllab.core.learners.LwfHook;
import org.cllab.core.learners.MlpClassifier;
import org.cllab.core.learners.MlpLearnerSpec;
import org.cllab.core.learners.ReplayHook;
import org.cllab.core.learners.SiHook;
import org.cllab.core.learners.dkvb.DkvbLearner;
import org.cllab.core.learners.dkvb.DkvbSpec;
import org.cllab.core.learners.dkvb.KeyInitSource;
import org.cllab.core.nn.Activation;
import org.cllab.core.nn.FrozenEncoder;
import org.cllab.core.parts.EwcPenalty;
import org.cllab.core.rng.Rng;
import org.cllab.core.rng.Seeds;
import org.cllab.hypernets.ChunkedHyperNetwork;
import org.cllab.hypernets.HypernetLearner;
import org.cllab.hypernets.RnnHyperNetwork;
import org.cllab.runs.config.ConfigException;
import org.cllab.runs.config.RunConfig;
import org.cllab.scenarios.EncodedScenario;
import org.cllab.scenarios.GaussianToyScenario;
import org.cllab.scenarios.StreamBuilders;
import org.cllab.scenarios.data.BundledMnist;
import org.cllab.scenarios.data.CifarBinaryReader;
import org.cllab.scenarios.data.DataFileException;
import org.cllab.scenarios.data.IdxDirectory;
import org.cllab.scenarios.data.ImageSet;

/**
 * What a config describes: the scenario (data loaded and validated), the seeds, the evaluation modes and a factory
 * for the learner. Building an experiment does all input checking that needs the data, before anything is written.
 */
public final class Experiment {
    /** Default location of the Debian package {@code dataset-fashion-mnist}. */
    public static final Path FASHION_MNIST_DEFAULT = Path.of("/usr/share/datasets/fashion-mnist");
    private static final Map<String, ImageSet[]> DATA_CACHE = new ConcurrentHashMap<>();

    private final RunConfig config;
    private final Scenario scenario;
    private final long streamSeed;
    private final long learnerSeed;
    private final Mode trainingMode;
    private final List<Mode> evaluationModes;

    private Experiment(RunConfig config, Scenario scenario, long streamSeed, long learnerSeed, Mode trainingMode,
                       List<Mode> evaluationModes) {
        this.config = config;
        this.scenario = scenario;
        this.streamSeed = streamSeed;
        this.learnerSeed = learnerSeed;
        this.trainingMode = trainingMode;
        this.evaluationModes = evaluationModes;
    }

    /** Loads the data and builds the scenario; data problems become {@link ConfigException}s. */
    public static Experiment build(RunConfig c) {
        long runSeed = c.getLong("run.seed");
        long streamSeed = c.getOptionalLong("scenario.seed").orElse(Seeds.derive(runSeed, "stream"));
        long learnerSeed = c.getOptionalLong("learner.seed").orElse(Seeds.derive(runSeed, "learner"));
        String type = c.getString("scenario.type");
        Scenario scenario;
        if (type.equals("gaussian-toy")) {
            scenario = GaussianToyScenario.create(c.getInt("scenario.toy_train_per_class"),
                    c.getInt("scenario.toy_test_per_class"), streamSeed);
        } else {
            scenario = imageScenario(c, type, streamSeed);
        }
        FrozenEncoder encoder = encoder(c);
        if (encoder != null) {
            try {
                scenario = EncodedScenario.of(scenario, encoder, "frozen encoder " + c.getString("scenario.encoder")
                        + " (" + String.join("-", Arrays.stream(encoder.sizes()).mapToObj(String::valueOf).toList())
                        + ", parameters sha256 " + encoder.parameterHash() + ")");
            } catch (IllegalArgumentException e) {
                throw new ConfigException(c.source(), "scenario.encoder", e.getMessage());
            }
        }
        Mode training = Mode.parse(c.getString("scenario.mode"));
        List<String> modes = c.getStringList("evaluation.modes");
        List<Mode> eval = modes.isEmpty() ? List.of(training) : modes.stream().map(Mode::parse).toList();
        return new Experiment(c, scenario, streamSeed, learnerSeed, training, eval);
    }

    private static Scenario imageScenario(RunConfig c, String type, long streamSeed) {
        ImageSet[] data = loadData(c);
        String name = type + "-" + c.getString("scenario.dataset");
        int tasks = c.getInt("scenario.tasks");
        int limit = c.getInt("scenario.train_limit");
        try {
            return switch (type) {
                case "split" -> StreamBuilders.split(name, data[0], data[1], tasks, c.getInt("scenario.classes_per_task"),
                        c.getBoolean("scenario.shuffle_classes"), streamSeed, limit);
                case "permuted" -> StreamBuilders.permuted(name, data[0], data[1], tasks, streamSeed,
                        c.getBoolean("scenario.permute_first"), limit);
                case "rotated" -> {
                    double[] r = c.getDoubleArray("scenario.rotations");
                    yield StreamBuilders.rotated(name, data[0], data[1], r.length > 0 ? r
                            : StreamBuilders.evenAngles(tasks, c.getDouble("scenario.rotation_max_degrees")), limit);
                }
                default -> throw new ConfigException(c.source(), "scenario.type", "unknown type " + type);
            };
        } catch (IllegalArgumentException e) {
            throw new ConfigException(c.source(), "scenario.tasks", e.getMessage());
        }
    }

    /** The frozen encoder named by {@code scenario.encoder}, or null. */
    private static FrozenEncoder encoder(RunConfig c) {
        String file = c.getString("scenario.encoder");
        if (file.isEmpty()) {
            return null;
        }
        Path path = Path.of(file);
        String create = "; create it with: cl pretrain-encoder --out " + file;
        if (!Files.isRegularFile(path)) {
            throw new ConfigException(c.source(), "scenario.encoder", file + " not found" + create);
        }
        try {
            String trainedOn = EncoderPretraining.pretrainingDataset(path);
            if (!c.getString("scenario.type").equals("gaussian-toy")
                    && trainedOn.equals(c.getString("scenario.dataset"))) {
                throw new ConfigException(c.source(), "scenario.encoder", file + " was trained on " + trainedOn
                        + ", the stream's own dataset: a pre-trained encoder must come from another dataset");
            }
            return EncoderPretraining.read(path);
        } catch (IOException e) {
            throw new ConfigException(c.source(), "scenario.encoder", file + ": " + e.getMessage() + create);
        }
    }

    private static ImageSet[] loadData(RunConfig c) {
        return loadData(c, c.getString("scenario.dataset"), c.getString("scenario.data_dir"));
    }

    private static ImageSet[] loadData(RunConfig c, String dataset, String dirText) {
        String key = dataset + "|" + dirText;
        ImageSet[] cached = DATA_CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        ImageSet[] data;
        try {
            data = switch (dataset) {
                case "mnist" -> dirText.isEmpty() ? BundledMnist.loadTrainTest() : IdxDirectory.loadTrainTest(Path.of(dirText));
                case "fashion-mnist" -> {
                    Path dir = dirText.isEmpty() ? FASHION_MNIST_DEFAULT : Path.of(dirText);
                    if (!Files.isDirectory(dir)) {
                        throw new DataFileException(dir.toString(), "directory not found"
                                + (dirText.isEmpty() ? " (install the Debian package dataset-fashion-mnist, or set "
                                + "scenario.data_dir)" : ""));
                    }
                    yield IdxDirectory.loadTrainTest(dir);
                }
                case "cifar10" -> {
                    if (dirText.isEmpty()) {
                        throw new ConfigException(c.source(), "scenario.data_dir", "cifar10 needs the directory of "
                                + "the CIFAR-10 binary batches (nothing is downloaded)");
                    }
                    yield CifarBinaryReader.loadTrainTest(Path.of(dirText));
                }
                default -> throw new ConfigException(c.source(), "scenario.dataset", "unknown dataset " + dataset);
            };
        } catch (DataFileException e) {
            String hint = dataset.equals("fashion-mnist") && e.getMessage().contains("not found")
                    && !e.getMessage().contains("dataset-fashion-mnist")
                    ? " (Fashion-MNIST comes from the Debian package dataset-fashion-mnist)" : "";
            throw new ConfigException(c.source(), dirText.isEmpty() && dataset.equals("mnist") ? "scenario.dataset"
                    : "scenario.data_dir", e.getMessage() + hint);
        }
        DATA_CACHE.put(key, data);
        return data;
    }

    /** A fresh learner as configured (same config and seed give an identical learner). */
    public ContinualLearner newLearner(TrainingListener listener) {
        LearnerContext ctx = new LearnerContext(scenario.info(), trainingMode, learnerSeed, listener);
        MlpLearnerSpec spec = new MlpLearnerSpec(config.getIntArray("learner.hidden"),
                Activation.parse(config.getString("learner.activation")),
                MlpLearnerSpec.OptimizerKind.parse(config.getString("learner.optimizer")),
                config.getDouble("learner.lr"), config.getDouble("learner.momentum"),
                config.getInt("learner.batch_size"), config.getInt("learner.epochs"),
                config.getBoolean("learner.reset_optimizer"));
        return switch (config.getString("learner.type")) {
            case "finetune" -> new FinetuneLearner(spec, ctx);
            case "joint" -> new JointLearner(spec, ctx);
            case "ewc", "online-ewc" -> new FinetuneLearner(spec, ctx, List.of(new EwcHook.Settings(
                    config.getString("learner.type").equals("ewc") ? EwcPenalty.Kind.EWC : EwcPenalty.Kind.ONLINE,
                    config.getDouble("learner.ewc.lambda"), config.getDouble("learner.ewc.gamma"),
                    config.getInt("learner.ewc.fisher_samples"),
                    MlpClassifier.FisherLabels.valueOf(config.getString("learner.ewc.fisher_labels")
                            .toUpperCase(Locale.ROOT)))));
            case "si" -> new FinetuneLearner(spec, ctx, List.of(new SiHook.Settings(config.getDouble("learner.si.c"),
                    config.getDouble("learner.si.xi"))));
            case "er" -> new FinetuneLearner(spec, ctx, List.of(new ReplayHook.Settings(
                    config.getInt("learner.er.buffer_size"), config.getInt("learner.er.replay_batch_size"),
                    config.getBoolean("learner.er.class_balanced"))));
            case "lwf" -> new FinetuneLearner(spec, ctx, List.of(new LwfHook.Settings(
                    config.getDouble("learner.lwf.temperature"), config.getDouble("learner.lwf.alpha"))));
            case "hnet" -> new HypernetLearner(spec, hypernetSettings(), ctx, (p, rng) -> new ChunkedHyperNetwork(p,
                    config.getInt("learner.hnet.task_emb_dim"), config.getInt("learner.hnet.chunk_emb_dim"),
                    config.getIntArray("learner.hnet.hidden"), config.getInt("learner.hnet.chunk_dim"),
                    Activation.parse(config.getString("learner.hnet.activation")), rng));
            case "dkvb" -> dkvb(ctx);
            case "rnn-hnet" -> new HypernetLearner(spec, hypernetSettings(), ctx, (p, rng) -> new RnnHyperNetwork(p,
                    config.getInt("learner.hnet.task_emb_dim"), config.getInt("learner.hnet.chunk_emb_dim"),
                    config.getInt("learner.rnn.hidden_units"), config.getInt("learner.hnet.chunk_dim"), rng));
            default -> throw new ConfigException(config.source(), "learner.type", "unknown learner "
                    + config.getString("learner.type"));
        };
    }

    private DkvbLearner dkvb(LearnerContext ctx) {
        RunConfig c = config;
        DkvbSpec spec;
        try {
            spec = new DkvbSpec(c.getInt("learner.dkvb.codebooks"), c.getInt("learner.dkvb.pairs"),
                    c.getInt("learner.dkvb.key_dim"), c.getInt("learner.dkvb.top_k"), c.getInt("learner.dkvb.value_dim"),
                    DkvbSpec.Split.parse(c.getString("learner.dkvb.split")),
                    DkvbSpec.Decoder.parse(c.getString("learner.dkvb.decoder")), c.getDouble("learner.dkvb.lr"),
                    c.getDouble("learner.dkvb.label_smoothing"), c.getDouble("learner.dkvb.clip_norm"),
                    c.getInt("learner.batch_size"), c.getInt("learner.dkvb.steps_per_batch"),
                    c.getDouble("learner.dkvb.init_decay"), c.getDouble("learner.dkvb.init_eps"),
                    c.getDouble("learner.dkvb.dead_fraction"), c.getInt("learner.dkvb.init_samples"),
                    c.getInt("learner.dkvb.init_epochs"), c.getInt("learner.dkvb.init_batch_size"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(c.source(), "learner.dkvb", e.getMessage());
        }
        if (spec.split() == DkvbSpec.Split.CHUNK && spec.codebooks() * spec.keyDim() != ctx.scenario().featureDim()) {
            throw new ConfigException(c.source(), "learner.dkvb.key_dim", "split chunk needs codebooks x key_dim = "
                    + "feature dim " + ctx.scenario().featureDim() + ", got " + spec.codebooks() + " x "
                    + spec.keyDim());
        }
        try {
            return new DkvbLearner(spec, ctx, keyInitSource());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(c.source(), "learner.dkvb", e.getMessage());
        }
    }

    /** Unlabeled key-initialisation data (loaded lazily, on the learner's first batch). */
    private KeyInitSource keyInitSource() {
        String init = config.getString("learner.dkvb.key_init");
        if (init.equals("uniform")) {
            return KeyInitSource.uniform(0, 1);
        }
        RunConfig c = config;
        return new KeyInitSource() {
            private KeyInitSource pool;

            @Override
            public float[] draw(int n, int featureDim, Rng rng) {
                if (pool == null) {
                    ImageSet train = loadData(c, init, "")[0];
                    int d = train.featureDim();
                    float[] x = new float[train.size() * d];
                    for (int i = 0; i < train.size(); i++) {
                        train.copyImage(i, x, i * d);
                    }
                    FrozenEncoder enc = encoder(c);
                    pool = enc == null ? KeyInitSource.pool(x, d, describe())
                            : KeyInitSource.pool(enc.encodeAll(x, train.size()), enc.outputDim(), describe());
                }
                return pool.draw(n, featureDim, rng);
            }

            @Override
            public String describe() {
                return init + " training images" + (c.getString("scenario.encoder").isEmpty() ? ""
                        : " through the frozen encoder");
            }
        };
    }

    private HypernetLearner.Settings hypernetSettings() {
        boolean rnn = config.getString("learner.type").equals("rnn-hnet");
        return new HypernetLearner.Settings(config.getInt("learner.hnet.task_emb_dim"),
                config.getDouble("learner.hnet.beta"), config.getInt("learner.hnet.iterations"),
                config.getBoolean("learner.hnet.importance"), rnn ? config.getDouble("learner.rnn.grow_threshold") : 0,
                config.getInt("learner.rnn.grow_units"), config.getInt("learner.rnn.max_growths"),
                config.getInt("learner.hnet.reg_tasks"), config.getBoolean("learner.hnet.lookahead"));
    }

    public RunConfig config() {
        return config;
    }

    public Scenario scenario() {
        return scenario;
    }

    public long streamSeed() {
        return streamSeed;
    }

    public long learnerSeed() {
        return learnerSeed;
    }

    public Mode trainingMode() {
        return trainingMode;
    }

    public List<Mode> evaluationModes() {
        return evaluationModes;
    }
}
