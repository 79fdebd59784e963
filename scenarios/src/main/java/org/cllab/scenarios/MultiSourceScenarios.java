package org.cllab.scenarios;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cllab.core.api.Mode;
import org.cllab.core.api.Scenario;
import org.cllab.core.api.ScenarioInfo;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.data.TaskData;
import org.cllab.core.data.ValidationSplit;
import org.cllab.core.rng.Rng;
import org.cllab.core.spi.Check;
import org.cllab.core.spi.Setting;
import org.cllab.core.spi.SettingProblem;
import org.cllab.core.spi.Settings;
import org.cllab.scenarios.data.ImageSet;
import org.cllab.scenarios.spi.ScenarioChecks;
import org.cllab.scenarios.spi.ScenarioContext;
import org.cllab.scenarios.spi.ScenarioModule;
import org.cllab.scenarios.spi.ScenarioType;

/**
 * {@code scenario.type: multi-source}: S rich-resource source tasks with a declared relatedness order, then one
 * low-resource target task, for multi-source meta-transfer (Meta-RTL, arXiv 2409.19075, moved to images: our
 * reconstruction).
 *
 * <p>The stream has one task, the target: Fashion-MNIST with {@code scenario.shots} labelled training images per
 * class. Its training part is a {@link ValidationSplit}: the validation samples are {@code scenario.validation_size}
 * further Fashion-MNIST training images (disjoint from the K-shot images); its test part is the Fashion-MNIST test
 * set. The S sources come with the target as {@link Scenario#sources(int)}, keyed {@code s<i>:<kind>} in the order of
 * {@code scenario.sources} (zero-padded index, so sorting the keys restores the order); they are training data only,
 * never evaluated. Sources built from Fashion-MNIST draw their images from the rest of the Fashion-MNIST training set
 * (disjoint from the target's K-shot and validation images), MNIST sources from the MNIST training set.
 *
 * <p>Source kinds: {@code fmnist-rot} (rotated by {@code scenario.source_rotation} degrees), {@code fmnist-invert}
 * ({@code 1 - x}), {@code mnist}, {@code mnist-permuted} (one fixed pixel permutation), {@code fmnist-shuffled-labels}
 * (every image gets a uniformly random label, fixed by the stream seed: a harmful source).
 */
public final class MultiSourceScenarios implements ScenarioModule {
    /** The source kinds, by their names in {@code scenario.sources}. */
    public static final List<String> KINDS = List.of("fmnist-rot", "fmnist-invert", "mnist", "mnist-permuted",
            "fmnist-shuffled-labels");

    /** Settings of {@code multi-source}. */
    @Settings(prefix = "scenario")
    public record MultiSourceSettings(
            @Setting(def = "[fmnist-rot, fmnist-invert, mnist, mnist-permuted, fmnist-shuffled-labels]",
                    doc = "Source tasks, in stream order (tasks 0..S-1; the target is the last task). Kinds: "
                            + "`fmnist-rot`, `fmnist-invert`, `mnist`, `mnist-permuted`, `fmnist-shuffled-labels`.")
            List<String> sources,
            @Setting(def = "[]", defText = "[] (1, 2, ..., S: the order of `scenario.sources`)", doc = "Declared "
                    + "relatedness rank of every source to the target (1 = most related; one entry per source), "
                    + "against which reports score learned source weights.") int[] relatedness,
            @Setting(def = "5", check = Check.POSITIVE, doc = "K: labelled target training images per class.")
            int shots,
            @Setting(def = "1000", check = Check.POSITIVE, doc = "Target validation images, drawn from the "
                    + "Fashion-MNIST training images not among the K-shot ones.") int validationSize,
            @Setting(def = "2000", check = Check.POSITIVE, doc = "Training images per source.") int sourceSize,
            @Setting(def = "0", check = Check.NON_NEGATIVE, doc = "Target test images (first ones of the "
                    + "Fashion-MNIST test set); 0 = all 10,000.") int targetTestSize,
            @Setting(def = "15.0", doc = "Rotation of the `fmnist-rot` source in degrees.") double sourceRotation,
            @Setting(def = "", defText = "\"\" (/usr/share/datasets/fashion-mnist)", doc = "Directory of the "
                    + "Fashion-MNIST IDX files.") String fashionDir,
            @Setting(def = "", defText = "\"\" (the bundled MNIST digits)", doc = "Directory of MNIST IDX files.")
            String mnistDir) {
        public MultiSourceSettings {
            sources = List.copyOf(sources);
            relatedness = relatedness.clone();
        }

        @Override
        public int[] relatedness() {
            return relatedness.clone();
        }

        /** The declared ranks, defaulted to the order of {@link #sources()}. */
        public int[] ranks() {
            if (relatedness.length > 0) {
                return relatedness.clone();
            }
            int[] r = new int[sources.size()];
            for (int i = 0; i < r.length; i++) {
                r[i] = i + 1;
            }
            return r;
        }
    }

    @Override
    public List<ScenarioType<?>> scenarioTypes() {
        return List.of(new Type());
    }

    /** The plug-in. */
    static final class Type implements ScenarioType<MultiSourceSettings> {
        @Override
        public String name() {
            return "multi-source";
        }

        @Override
        public String doc() {
            return "one K-shot Fashion-MNIST target task with a validation split, and S source tasks with a declared "
                    + "relatedness order handed to the learner with it (multi-source meta-transfer, Meta-RTL); "
                    + "task-incremental";
        }

        @Override
        public Class<MultiSourceSettings> settings() {
            return MultiSourceSettings.class;
        }

        @Override
        public void check(MultiSourceSettings s, ScenarioChecks c) {
            if (s.sources().isEmpty()) {
                throw new SettingProblem("scenario.sources", "needs at least one source");
            }
            for (String k : s.sources()) {
                if (!KINDS.contains(k)) {
                    throw new SettingProblem("scenario.sources", "unknown source '" + k + "'; expected one of "
                            + String.join(", ", KINDS));
                }
            }
            int[] r = s.relatedness();
            if (r.length != 0) {
                if (r.length != s.sources().size()) {
                    throw new SettingProblem("scenario.relatedness", "has " + r.length + " entries for "
                            + s.sources().size() + " sources");
                }
                int[] sorted = r.clone();
                Arrays.sort(sorted);
                for (int i = 0; i < sorted.length; i++) {
                    if (sorted[i] != i + 1) {
                        throw new SettingProblem("scenario.relatedness", "must be a permutation of 1.."
                                + sorted.length + ", got " + Arrays.toString(r));
                    }
                }
            }
            if (c.trainingMode() != Mode.TASK_INCREMENTAL) {
                throw new SettingProblem("scenario.mode", "multi-source has one head per task: use "
                        + "task-incremental");
            }
            if (c.encoded()) {
                throw new SettingProblem("scenario.encoder", "multi-source reads raw images: no encoder");
            }
        }

        @Override
        public Scenario create(MultiSourceSettings s, ScenarioContext ctx) {
            ImageSet[] fashion = ctx.trainTest("fashion-mnist", s.fashionDir());
            boolean needsMnist = s.sources().stream().anyMatch(k -> k.startsWith("mnist"));
            ImageSet[] mnist = needsMnist ? ctx.trainTest("mnist", s.mnistDir()) : null;
            return build(s, fashion, mnist, ctx.streamSeed());
        }

        @Override
        public Optional<String> dataset(MultiSourceSettings s) {
            return Optional.of("fashion-mnist");
        }

        @Override
        public int tasks(MultiSourceSettings s) {
            return 1;
        }

        @Override
        public String label(MultiSourceSettings s) {
            return name() + " K=" + s.shots() + " S=" + s.sources().size();
        }
    }

    /**
     * Builds the stream from loaded data (tests call this directly).
     *
     * @param mnist MNIST train/test, or null when no source needs it
     */
    public static Scenario build(MultiSourceSettings s, ImageSet[] fashion, ImageSet[] mnist, long seed) {
        ImageSet ftrain = fashion[0];
        ImageSet ftest = fashion[1];
        int classes = 10;
        int sCount = s.sources().size();
        // target K-shot and validation indices from the Fashion-MNIST training set
        int[] order = Rng.forComponent(seed, "multi-source/target").permutation(ftrain.size());
        int[] perClass = new int[classes];
        List<Integer> shot = new ArrayList<>();
        List<Integer> rest = new ArrayList<>();
        for (int i : order) {
            int y = ftrain.label(i);
            if (y < classes && perClass[y] < s.shots()) {
                perClass[y]++;
                shot.add(i);
            } else {
                rest.add(i);
            }
        }
        for (int y = 0; y < classes; y++) {
            if (perClass[y] < s.shots()) {
                throw new SettingProblem("scenario.shots", "Fashion-MNIST training set has only " + perClass[y]
                        + " images of class " + y);
            }
        }
        if (rest.size() < s.validationSize() + 1) {
            throw new SettingProblem("scenario.validation_size", s.validationSize() + " validation images but only "
                    + rest.size() + " remain after the K-shot images");
        }
        int[] validation = rest.subList(0, s.validationSize()).stream().mapToInt(Integer::intValue).toArray();
        int[] pool = rest.subList(s.validationSize(), rest.size()).stream().mapToInt(Integer::intValue).toArray();

        Map<String, TaskData> sources = new LinkedHashMap<>();
        for (int t = 0; t < sCount; t++) {
            String kind = s.sources().get(t);
            Rng rng = Rng.forComponent(seed, "multi-source/source-" + t);
            boolean fm = kind.startsWith("fmnist");
            ImageSet train = fm ? ftrain : mnist[0];
            int[] trainPool = fm ? pool : rng.permutation(train.size());
            int[] trainIdx = draw(trainPool, s.sourceSize(), rng, "scenario.source_size", kind);
            PixelTransform p = switch (kind) {
                case "fmnist-rot" -> new Rotation(s.sourceRotation(), train.channels(), train.rows(), train.cols());
                case "fmnist-invert" -> (src, so, dst, d) -> {
                    for (int j = 0; j < train.featureDim(); j++) {
                        dst[d + j] = 1f - src[so + j];
                    }
                };
                case "mnist-permuted" -> new Permutation(rng.permutation(train.featureDim()));
                default -> null;
            };
            Rng labels = kind.equals("fmnist-shuffled-labels") ? rng : null;
            sources.put(sourceKey(t, kind), part(train, trainIdx, classes, p, labels));
        }
        int[] shotIdx = shot.stream().mapToInt(Integer::intValue).toArray();
        int[] testIdx = firstN(ftest.size(), s.targetTestSize());
        TaskData k = part(ftrain, shotIdx, classes, null, null);
        TaskData v = part(ftrain, validation, classes, null, null);
        ImageScenario.Assembly a = new ImageScenario.Assembly();
        a.tasks.add(new TaskInfo(0, "target fashion-mnist " + s.shots() + "-shot", offsetClasses(0, classes)));
        a.train.add(new Target(k, v));
        a.test.add(part(ftest, testIdx, classes, null, null));
        ImageScenario target = a.build("multi-source", ftrain, ftest, classes, classes);
        return new WithSources(target, Collections.unmodifiableMap(sources));
    }

    /** The key of source {@code t} in {@link Scenario#sources(int)}: sorting the keys restores the source order. */
    public static String sourceKey(int t, String kind) {
        return String.format("s%02d:%s", t, kind);
    }

    /** The one-task target stream and the sources that come with its task. */
    private record WithSources(ImageScenario target, Map<String, TaskData> sources) implements Scenario {
        @Override
        public ScenarioInfo info() {
            return target.info();
        }

        @Override
        public TaskData train(int t) {
            return target.train(t);
        }

        @Override
        public TaskData test(int t) {
            return target.test(t);
        }

        @Override
        public Map<String, TaskData> sources(int t) {
            return t == 0 ? sources : Map.of();
        }

        @Override
        public String dataProvenance() {
            return target.dataProvenance() + ", sources=" + sources.keySet();
        }
    }

    private static int[] draw(int[] pool, int n, Rng rng, String key, String kind) {
        if (pool.length < n) {
            throw new SettingProblem(key, n + " images for source " + kind + " but only " + pool.length
                    + " are available");
        }
        int[] p = pool.clone();
        rng.shuffle(p);
        return Arrays.copyOf(p, n);
    }

    private static int[] firstN(int size, int cap) {
        int n = cap == 0 ? size : Math.min(size, cap);
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    private static TaskData part(ImageSet set, int[] idx, int classes, PixelTransform p, Rng randomLabels) {
        int[] local = new int[idx.length];
        int[] global = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            local[i] = randomLabels != null ? randomLabels.nextInt(classes) : set.label(idx[i]);
            global[i] = local[i];
        }
        return new ImageTaskData(set, idx, global, local, p);
    }

    private static int[] offsetClasses(int t, int classes) {
        int[] c = new int[classes];
        for (int j = 0; j < classes; j++) {
            c[j] = t * classes + j;
        }
        return c;
    }

    /** The target's K-shot training images with their validation split. */
    private record Target(TaskData shots, TaskData validation) implements ValidationSplit {
        @Override
        public int size() {
            return shots.size();
        }

        @Override
        public int featureDim() {
            return shots.featureDim();
        }

        @Override
        public void copyFeatures(int i, float[] dst, int offset) {
            shots.copyFeatures(i, dst, offset);
        }

        @Override
        public int classLabel(int i) {
            return shots.classLabel(i);
        }

        @Override
        public int localLabel(int i) {
            return shots.localLabel(i);
        }
    }
}
