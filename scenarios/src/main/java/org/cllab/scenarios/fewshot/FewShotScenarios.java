package org.cllab.scenarios.fewshot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.cllab.core.api.Scenario;
import org.cllab.core.spi.Check;
import org.cllab.core.spi.Setting;
import org.cllab.core.spi.SettingProblem;
import org.cllab.core.spi.Settings;
import org.cllab.scenarios.data.ImageSet;
import org.cllab.scenarios.spi.ScenarioChecks;
import org.cllab.scenarios.spi.ScenarioContext;
import org.cllab.scenarios.spi.ScenarioModule;
import org.cllab.scenarios.spi.ScenarioType;

/** The {@code few-shot} scenario type ({@link FewShotScenario}) as a plug-in. */
public final class FewShotScenarios implements ScenarioModule {
    /** Default Fashion-MNIST directory (Debian package {@code dataset-fashion-mnist}). */
    static final String FASHION_DEFAULT = "/usr/share/datasets/fashion-mnist";

    /** Settings of {@code few-shot}. */
    @Settings(prefix = "scenario")
    public record FewShotSettings(
            @Setting(def = "5", check = Check.POSITIVE, doc = "Number of tasks.") int tasks,
            @Setting(def = "5", check = Check.POSITIVE, doc = "few-shot: N, classes per task and per probe "
                    + "episode (>= 2).") int ways,
            @Setting(def = "5", check = Check.POSITIVE, doc = "few-shot: K, training samples (shots) per class of a "
                    + "task's support set and of a probe episode's support set.") int shots,
            @Setting(def = "15", check = Check.POSITIVE, doc = "few-shot: query samples per class (a task's test "
                    + "data; a probe episode's query set).") int querySize,
            @Setting(def = "60", check = Check.POSITIVE, doc = "few-shot: pseudo-classes (of 80) in the training "
                    + "pool the tasks are drawn from.") int trainPool,
            @Setting(def = "20", check = Check.POSITIVE, doc = "few-shot: pseudo-classes in the held-out pool the "
                    + "probe episodes are drawn from (disjoint from the training pool).") int heldOutPool,
            @Setting(def = "20", check = Check.NON_NEGATIVE, doc = "few-shot: E, fixed probe episodes scored after "
                    + "every task (0 = no probe).") int probeEpisodes,
            @Setting(def = "20", check = Check.POSITIVE, doc = "few-shot: full-batch SGD steps with which every "
                    + "learner adapts a copy of itself (a fresh zero-initialised N-way head) to a probe episode's "
                    + "support set.") int probeSteps,
            @Setting(def = "0.1", check = Check.POSITIVE, doc = "few-shot: learning rate of the probe's adaptation "
                    + "steps.") double probeLr,
            @Setting(def = "", defText = "\"\" (/usr/share/datasets/fashion-mnist)", doc = "few-shot: directory of "
                    + "the Fashion-MNIST IDX files; MNIST is the bundled copy.") String fashionDir) {
    }

    @Override
    public List<ScenarioType<?>> scenarioTypes() {
        return List.of(new Type());
    }

    private static final class Type implements ScenarioType<FewShotSettings> {
        @Override
        public String name() {
            return "few-shot";
        }

        @Override
        public String doc() {
            return "few-shot continual learning (issue 12; our reconstruction): 20 MNIST + Fashion-MNIST classes x 4 "
                    + "rotations = 80 pseudo-classes, split by the stream seed into a training pool and a disjoint "
                    + "held-out pool; T N-way K-shot tasks from the training pool (support = training data, query = "
                    + "test data); E fixed probe episodes from the held-out pool";
        }

        @Override
        public Class<FewShotSettings> settings() {
            return FewShotSettings.class;
        }

        @Override
        public void check(FewShotSettings s, ScenarioChecks c) {
            if (c.encoded()) {
                throw new SettingProblem("scenario.encoder", "few-shot takes raw images: no encoder");
            }
            if (s.ways() < 2) {
                throw new SettingProblem("scenario.ways", "needs >= 2 ways, got " + s.ways());
            }
            if (s.trainPool() + s.heldOutPool() > FewShotScenario.PSEUDO_CLASSES) {
                throw new SettingProblem("scenario.held_out_pool", "training pool " + s.trainPool() + " + held-out "
                        + "pool " + s.heldOutPool() + " exceed the " + FewShotScenario.PSEUDO_CLASSES
                        + " pseudo-classes");
            }
            if (s.ways() > s.trainPool()) {
                throw new SettingProblem("scenario.train_pool", s.ways() + "-way tasks need >= " + s.ways()
                        + " classes in the training pool, got " + s.trainPool());
            }
            if (s.probeEpisodes() > 0 && s.ways() > s.heldOutPool()) {
                throw new SettingProblem("scenario.held_out_pool", s.ways() + "-way probe episodes need >= "
                        + s.ways() + " classes in the held-out pool, got " + s.heldOutPool());
            }
        }

        @Override
        public Scenario create(FewShotSettings s, ScenarioContext ctx) {
            String dir = s.fashionDir().isEmpty() ? FASHION_DEFAULT : s.fashionDir();
            Path p = Path.of(dir);
            if (!Files.exists(p.resolve("train-images-idx3-ubyte")) && !Files.exists(p.resolve(
                    "train-images-idx3-ubyte.gz"))) {
                throw new SettingProblem("scenario.fashion_dir", "no Fashion-MNIST in " + p.toAbsolutePath()
                        + " (train-images-idx3-ubyte[.gz] missing); install the Debian package dataset-fashion-mnist "
                        + "or set scenario.fashion_dir");
            }
            ImageSet[] mnist = ctx.trainTest("mnist", "");
            ImageSet[] fashion = ctx.trainTest("fashion-mnist", s.fashionDir());
            try {
                return FewShotScenario.create(mnist[0], mnist[1], fashion[0], fashion[1], new FewShotScenario.Shape(
                        s.tasks(), s.ways(), s.shots(), s.querySize(), s.trainPool(), s.heldOutPool(),
                        s.probeEpisodes(), s.probeSteps(), s.probeLr()), ctx.streamSeed());
            } catch (IllegalArgumentException e) {
                throw new SettingProblem("scenario.shots", e.getMessage());
            }
        }

        @Override
        public Optional<String> dataset(FewShotSettings s) {
            return Optional.of("mnist+fashion-mnist");
        }

        @Override
        public int tasks(FewShotSettings s) {
            return s.tasks();
        }

        @Override
        public String label(FewShotSettings s) {
            return "few-shot " + s.tasks() + "x" + s.ways() + "-way-" + s.shots() + "-shot";
        }
    }
}
