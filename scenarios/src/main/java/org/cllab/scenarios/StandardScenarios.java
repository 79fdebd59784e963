package org.cllab.scenarios;

import java.util.List;
import java.util.Optional;
import org.cllab.core.api.Mode;
import org.cllab.core.api.Scenario;
import org.cllab.core.spi.Check;
import org.cllab.core.spi.Setting;
import org.cllab.core.spi.SettingProblem;
import org.cllab.core.spi.Settings;
import org.cllab.scenarios.data.ImageSet;
import org.cllab.scenarios.spi.Datasets;
import org.cllab.scenarios.spi.ScenarioChecks;
import org.cllab.scenarios.spi.ScenarioContext;
import org.cllab.scenarios.spi.ScenarioModule;
import org.cllab.scenarios.spi.ScenarioType;

/**
 * The standard task streams as plug-ins: {@code split}, {@code permuted} and {@code rotated} over an image dataset
 * ({@link StreamBuilders}), and the 2-D {@code gaussian-toy} of the key-value bottleneck paper
 * ({@link GaussianToyScenario}).
 */
public final class StandardScenarios implements ScenarioModule {
    /** The keys of every image stream: dataset, its directory, number of tasks, training cap. */
    @Settings(prefix = "scenario")
    public record ImageStreamKeys(
            @Setting(def = "mnist", allowedFrom = Datasets.Names.class, doc = "`mnist`: the bundled 10,000 MNIST "
                    + "digits (7,996 train / 2,004 test) or IDX files in `scenario.data_dir`; `fashion-mnist`: IDX "
                    + "files from `scenario.data_dir` (default `/usr/share/datasets/fashion-mnist`, Debian package "
                    + "`dataset-fashion-mnist`); `cifar10`: CIFAR-10 binary batches in `scenario.data_dir`.")
            String dataset,
            @Setting(def = "", defText = "\"\" (bundled MNIST; /usr/share/datasets/fashion-mnist for fashion-mnist)",
                    doc = "Directory with the dataset files (IDX `train-images-idx3-ubyte[.gz]` etc., or CIFAR-10 "
                            + "`data_batch_1.bin`..`test_batch.bin`). Empty: the default location.") String dataDir,
            @Setting(def = "5", check = Check.POSITIVE, doc = "Number of tasks.") int tasks,
            @Setting(def = "0", check = Check.NON_NEGATIVE, doc = "Cap on training samples per task (first ones in "
                    + "file order); 0 = all.") int trainLimit) {
    }

    /** Settings of {@code split}. */
    @Settings(prefix = "scenario")
    public record SplitSettings(
            ImageStreamKeys data,
            @Setting(def = "2", check = Check.POSITIVE, doc = "Classes per task.") int classesPerTask,
            @Setting(def = "false", doc = "Draw the class order from the stream seed instead of 0,1,2,...")
            boolean shuffleClasses) {
    }

    /** Settings of {@code permuted}. */
    @Settings(prefix = "scenario")
    public record PermutedSettings(
            ImageStreamKeys data,
            @Setting(def = "false", doc = "Permute task 0 too (false: task 0 is the original images).")
            boolean permuteFirst) {
    }

    /** Settings of {@code rotated}. */
    @Settings(prefix = "scenario")
    public record RotatedSettings(
            ImageStreamKeys data,
            @Setting(def = "180.0", doc = "Task t is rotated by t * max / tasks degrees, unless `scenario.rotations` "
                    + "lists the angles.") double rotationMaxDegrees,
            @Setting(def = "[]", defText = "[] (even spacing)", doc = "Explicit angle per task in degrees (length "
                    + "must equal `scenario.tasks`).") double[] rotations) {
        public RotatedSettings {
            rotations = rotations.clone();
        }

        @Override
        public double[] rotations() {
            return rotations.clone();
        }
    }

    /** Settings of {@code gaussian-toy}. */
    @Settings(prefix = "scenario")
    public record ToySettings(
            @Setting(def = "5", check = Check.POSITIVE, doc = "Number of tasks (must be 4).") int tasks,
            @Setting(def = "50", check = Check.POSITIVE, doc = "Training points per class (50 = the paper's 100 per "
                    + "task).") int toyTrainPerClass,
            @Setting(def = "100", check = Check.POSITIVE, doc = "Test points per class.") int toyTestPerClass) {
    }

    @Override
    public List<ScenarioType<?>> scenarioTypes() {
        return List.of(new ImageType<SplitSettings>("split", SplitSettings.class, "disjoint classes per task") {
            @Override
            ImageStreamKeys data(SplitSettings s) {
                return s.data();
            }

            @Override
            public void check(SplitSettings s, ScenarioChecks c) {
                int classes = c.datasetClasses().getOrDefault(s.data().dataset(), 0);
                int tasks = s.data().tasks();
                int k = s.classesPerTask();
                if ((long) tasks * k > classes) {
                    throw new SettingProblem("scenario.tasks", tasks + " tasks x " + k + " classes per task need "
                            + tasks * k + " classes, " + s.data().dataset() + " has " + classes);
                }
                if (c.trainingMode() == Mode.DOMAIN_INCREMENTAL && k < 2) {
                    throw new SettingProblem("scenario.mode", "domain-incremental split needs >= 2 classes per task");
                }
            }

            @Override
            Scenario build(SplitSettings s, String name, ImageSet[] d, long seed) {
                return StreamBuilders.split(name, d[0], d[1], s.data().tasks(), s.classesPerTask(),
                        s.shuffleClasses(), seed, s.data().trainLimit());
            }

            @Override
            public String label(SplitSettings s) {
                return name() + "-" + s.data().dataset() + " " + s.data().tasks() + "x" + s.classesPerTask();
            }
        }, new ImageType<PermutedSettings>("permuted", PermutedSettings.class, "all classes, one fixed pixel "
                + "permutation per task") {
            @Override
            ImageStreamKeys data(PermutedSettings s) {
                return s.data();
            }

            @Override
            Scenario build(PermutedSettings s, String name, ImageSet[] d, long seed) {
                return StreamBuilders.permuted(name, d[0], d[1], s.data().tasks(), seed, s.permuteFirst(),
                        s.data().trainLimit());
            }
        }, new ImageType<RotatedSettings>("rotated", RotatedSettings.class, "all classes, one rotation angle per "
                + "task") {
            @Override
            ImageStreamKeys data(RotatedSettings s) {
                return s.data();
            }

            @Override
            public void check(RotatedSettings s, ScenarioChecks c) {
                double[] r = s.rotations();
                if (r.length != 0 && r.length != s.data().tasks()) {
                    throw new SettingProblem("scenario.rotations", "lists " + r.length + " angles for "
                            + s.data().tasks() + " tasks");
                }
            }

            @Override
            Scenario build(RotatedSettings s, String name, ImageSet[] d, long seed) {
                double[] r = s.rotations();
                return StreamBuilders.rotated(name, d[0], d[1], r.length > 0 ? r
                        : StreamBuilders.evenAngles(s.data().tasks(), s.rotationMaxDegrees()), s.data().trainLimit());
            }
        }, new ToyType());
    }

    /** An image stream over a registered dataset. */
    private abstract static class ImageType<S extends Record> implements ScenarioType<S> {
        private final String name;
        private final Class<S> settings;
        private final String doc;

        ImageType(String name, Class<S> settings, String doc) {
            this.name = name;
            this.settings = settings;
            this.doc = doc;
        }

        abstract ImageStreamKeys data(S s);

        abstract Scenario build(S s, String name, ImageSet[] data, long streamSeed);

        @Override
        public String name() {
            return name;
        }

        @Override
        public String doc() {
            return doc;
        }

        @Override
        public Class<S> settings() {
            return settings;
        }

        @Override
        public Scenario create(S s, ScenarioContext ctx) {
            ImageSet[] d = ctx.trainTest(data(s).dataset(), data(s).dataDir());
            try {
                return build(s, name + "-" + data(s).dataset(), d, ctx.streamSeed());
            } catch (IllegalArgumentException e) {
                throw new SettingProblem("scenario.tasks", e.getMessage());
            }
        }

        @Override
        public Optional<String> dataset(S s) {
            return Optional.of(data(s).dataset());
        }

        @Override
        public int tasks(S s) {
            return data(s).tasks();
        }

        @Override
        public String label(S s) {
            return name + "-" + data(s).dataset() + " " + data(s).tasks() + " tasks";
        }
    }

    /** The 2-D toy of the key-value bottleneck paper. */
    private static final class ToyType implements ScenarioType<ToySettings> {
        @Override
        public String name() {
            return "gaussian-toy";
        }

        @Override
        public String doc() {
            return "the 2-D toy of the key-value bottleneck paper: 8 Gaussian classes, sigma 0.035, 4 tasks of 2; no "
                    + "dataset";
        }

        @Override
        public Class<ToySettings> settings() {
            return ToySettings.class;
        }

        @Override
        public void check(ToySettings s, ScenarioChecks c) {
            if (s.tasks() != 4) {
                throw new SettingProblem("scenario.tasks", "gaussian-toy has 4 tasks of 2 classes, got " + s.tasks());
            }
            if (c.encoded()) {
                throw new SettingProblem("scenario.encoder", "gaussian-toy has 2-d points, not images: no encoder");
            }
        }

        @Override
        public Scenario create(ToySettings s, ScenarioContext ctx) {
            return GaussianToyScenario.create(s.toyTrainPerClass(), s.toyTestPerClass(), ctx.streamSeed());
        }

        @Override
        public Optional<String> dataset(ToySettings s) {
            return Optional.empty();
        }

        @Override
        public int tasks(ToySettings s) {
            return s.tasks();
        }

        @Override
        public String label(ToySettings s) {
            return name() + " " + s.tasks() + " tasks";
        }
    }
}
