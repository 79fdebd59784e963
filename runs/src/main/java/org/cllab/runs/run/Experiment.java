package org.cllab.runs.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cllab.core.api.ContinualLearner;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;
import org.cllab.core.api.Scenario;
import org.cllab.core.api.TrainingListener;
import org.cllab.core.nn.FrozenEncoder;
import org.cllab.core.rng.Seeds;
import org.cllab.runs.config.ConfigException;
import org.cllab.runs.config.RunConfig;
import org.cllab.runs.config.TypedConfig;
import org.cllab.core.spi.LearnerResources;
import org.cllab.core.spi.SettingProblem;
import org.cllab.scenarios.spi.DatasetType;
import org.cllab.scenarios.spi.ScenarioContext;
import org.cllab.scenarios.EncodedScenario;
import org.cllab.scenarios.data.DataFileException;
import org.cllab.scenarios.data.ImageSet;

/**
 * What a config describes: the scenario (data loaded and validated), the seeds, the evaluation modes and a factory
 * for the learner. Building an experiment does all input checking that needs the data, before anything is written.
 */
public final class Experiment {
    private static final Map<String, ImageSet[]> DATA_CACHE = new ConcurrentHashMap<>();

    private final RunConfig config;
    private final TypedConfig typed;
    private final Scenario scenario;
    private final long streamSeed;
    private final long learnerSeed;
    private final Mode trainingMode;
    private final List<Mode> evaluationModes;

    private Experiment(RunConfig config, TypedConfig typed, Scenario scenario, long streamSeed, long learnerSeed,
                       Mode trainingMode, List<Mode> evaluationModes) {
        this.config = config;
        this.typed = typed;
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
        TypedConfig typed = c.typed();
        Scenario scenario;
        try {
            scenario = typed.createScenario(new ScenarioContext() {
                @Override
                public long streamSeed() {
                    return streamSeed;
                }

                @Override
                public ImageSet[] trainTest(String dataset, String dataDir) {
                    return loadData(c, dataset, dataDir);
                }
            });
        } catch (SettingProblem e) {
            throw new ConfigException(c.source(), e.key(), e.getMessage());
        }
        FrozenEncoder encoder = encoder(c, typed);
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
        return new Experiment(c, typed, scenario, streamSeed, learnerSeed, training, eval);
    }

    /** The frozen encoder named by {@code scenario.encoder}, or null. */
    private static FrozenEncoder encoder(RunConfig c, TypedConfig typed) {
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
            if (typed.dataset().isPresent() && trainedOn.equals(typed.dataset().get())) {
                throw new ConfigException(c.source(), "scenario.encoder", file + " was trained on " + trainedOn
                        + ", the stream's own dataset: a pre-trained encoder must come from another dataset");
            }
            return EncoderPretraining.read(path);
        } catch (IOException e) {
            throw new ConfigException(c.source(), "scenario.encoder", file + ": " + e.getMessage() + create);
        }
    }

    private static ImageSet[] loadData(RunConfig c, String dataset, String dirText) {
        String key = dataset + "|" + dirText;
        ImageSet[] cached = DATA_CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        DatasetType type = c.schema().plugins().datasets().get(dataset);
        if (type == null) {
            throw new ConfigException(c.source(), "scenario.dataset", "unknown dataset " + dataset);
        }
        ImageSet[] data;
        try {
            data = type.read(dirText);
        } catch (DataFileException e) {
            throw new ConfigException(c.source(), dirText.isEmpty() && type.bundled().isPresent()
                    ? "scenario.dataset" : "scenario.data_dir", type.explain(e));
        } catch (SettingProblem e) {
            throw new ConfigException(c.source(), e.key(), e.getMessage());
        }
        DATA_CACHE.put(key, data);
        return data;
    }

    /** A fresh learner as configured (same config and seed give an identical learner). */
    public ContinualLearner newLearner(TrainingListener listener) {
        LearnerContext ctx = new LearnerContext(scenario.info(), trainingMode, learnerSeed, listener);
        RunConfig c = config;
        LearnerResources resources = new LearnerResources() {
            @Override
            public Features trainingFeatures(String dataset) {
                ImageSet train = loadData(c, dataset, "")[0];
                int d = train.featureDim();
                float[] x = new float[train.size() * d];
                for (int i = 0; i < train.size(); i++) {
                    train.copyImage(i, x, i * d);
                }
                FrozenEncoder enc = encoder(c, typed);
                String what = dataset + " training images";
                return enc == null ? new Features(x, train.size(), d, what)
                        : new Features(enc.encodeAll(x, train.size()), train.size(), enc.outputDim(),
                        what + " through the frozen encoder");
            }

            @Override
            public boolean encodedInputs() {
                return typed.encoded();
            }
        };
        try {
            return typed.createLearner(ctx, resources);
        } catch (SettingProblem e) {
            throw new ConfigException(c.source(), e.key(), e.getMessage());
        }
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
