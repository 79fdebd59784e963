package org.cllab.scenarios.fewshot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cllab.core.api.FewShotEpisode;
import org.cllab.core.api.FewShotProbeSource;
import org.cllab.core.api.ListScenario;
import org.cllab.core.api.ScenarioInfo;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.data.ArrayTaskData;
import org.cllab.core.data.TaskData;
import org.cllab.core.rng.Rng;
import org.cllab.scenarios.Rotation;
import org.cllab.scenarios.data.ImageSet;

/**
 * A few-shot continual-learning stream (issue 12, after Wang et al., arXiv 2104.09034; the stream layout is
 * <em>our reconstruction</em>). Pseudo-classes are the 10 MNIST digits and the 10 Fashion-MNIST classes, each at
 * 0/90/180/270 degrees (the Omniglot convention): 80 pseudo-classes, id {@code 4 * base + rotation}, base 0..9 =
 * MNIST, 10..19 = Fashion-MNIST. Every base class's images (train and test split separately) are dealt by the stream
 * seed into four disjoint quarters, one per rotation, so no image belongs to two pseudo-classes. The stream seed
 * then splits the 80 ids into a training pool and a disjoint held-out pool.
 *
 * <p>Task t draws N classes from the training pool; its training data is K shots per class (the support set, from the
 * train split), its test data Q samples per class (the query set, from the test split). Class labels are positions
 * in the training pool ({@code 0..trainPool-1}), local labels positions in the task. The probe episodes
 * ({@link #probeEpisodes()}) are drawn the same way from the held-out pool only; their class labels are the
 * pseudo-class ids (0..79) and learners read only their local labels.
 */
public final class FewShotScenario extends ListScenario implements FewShotProbeSource {
    /** Rotations of every base class, in degrees. */
    static final int[] ROTATIONS = {0, 90, 180, 270};
    /** Base classes: 10 MNIST + 10 Fashion-MNIST. */
    static final int BASES = 20;
    /** Pseudo-classes. */
    public static final int PSEUDO_CLASSES = BASES * ROTATIONS.length;

    /**
     * @param tasks        T
     * @param ways         N
     * @param shots        K
     * @param query        Q, query samples per class
     * @param trainPool    pseudo-classes in the training pool
     * @param heldOutPool  pseudo-classes in the held-out pool
     * @param episodes     E, probe episodes
     * @param probeSteps   adaptation steps of the probe (full-batch SGD on the support set)
     * @param probeLr      their learning rate
     */
    public record Shape(int tasks, int ways, int shots, int query, int trainPool, int heldOutPool, int episodes,
                        int probeSteps, double probeLr) {
    }

    private final int[] trainPoolIds;
    private final int[] heldOutIds;
    private final List<FewShotEpisode> episodes;
    private final List<int[]> episodeClasses;
    private final Pools pools;
    private final Shape shape;

    private FewShotScenario(ScenarioInfo info, List<TaskData> train, List<TaskData> test, String provenance,
                            int[] trainPoolIds, int[] heldOutIds, List<FewShotEpisode> episodes,
                            List<int[]> episodeClasses, Pools pools, Shape shape) {
        super(info, train, test, provenance);
        this.trainPoolIds = trainPoolIds;
        this.heldOutIds = heldOutIds;
        this.episodes = List.copyOf(episodes);
        this.episodeClasses = episodeClasses;
        this.pools = pools;
        this.shape = shape;
    }

    /**
     * Builds the stream from MNIST and Fashion-MNIST (train and test split each; both 28x28, one channel).
     */
    public static FewShotScenario create(ImageSet mnistTrain, ImageSet mnistTest, ImageSet fashionTrain,
                                         ImageSet fashionTest, Shape s, long streamSeed) {
        if (s.trainPool() + s.heldOutPool() > PSEUDO_CLASSES) {
            throw new IllegalArgumentException("training pool " + s.trainPool() + " + held-out pool "
                    + s.heldOutPool() + " > " + PSEUDO_CLASSES + " pseudo-classes");
        }
        if (s.ways() > s.trainPool() || s.ways() > s.heldOutPool()) {
            throw new IllegalArgumentException(s.ways() + "-way tasks need >= " + s.ways()
                    + " classes in each pool");
        }
        Pools pools = new Pools(new ImageSet[] {mnistTrain, fashionTrain}, new ImageSet[] {mnistTest, fashionTest},
                streamSeed);
        int[] order = Rng.forComponent(streamSeed, "few-shot/pools").permutation(PSEUDO_CLASSES);
        int[] trainIds = Arrays.copyOfRange(order, 0, s.trainPool());
        int[] heldIds = Arrays.copyOfRange(order, s.trainPool(), s.trainPool() + s.heldOutPool());
        List<TaskInfo> infos = new ArrayList<>();
        List<TaskData> train = new ArrayList<>();
        List<TaskData> test = new ArrayList<>();
        for (int t = 0; t < s.tasks(); t++) {
            Rng rng = Rng.forComponent(streamSeed, "few-shot/task-" + t);
            int[] pick = Arrays.copyOf(rng.permutation(s.trainPool()), s.ways());
            int[] ids = new int[s.ways()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = trainIds[pick[i]];
            }
            infos.add(new TaskInfo(t, "task " + t + ": " + names(ids), pick));
            train.add(pools.sample(ids, pick, s.shots(), true, rng));
            test.add(pools.sample(ids, pick, s.query(), false, rng));
        }
        List<FewShotEpisode> eps = new ArrayList<>();
        List<int[]> epClasses = new ArrayList<>();
        for (int e = 0; e < s.episodes(); e++) {
            Rng rng = Rng.forComponent(streamSeed, "few-shot/probe-" + e);
            int[] pick = Arrays.copyOf(rng.permutation(s.heldOutPool()), s.ways());
            int[] ids = new int[s.ways()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = heldIds[pick[i]];
            }
            epClasses.add(ids);
            eps.add(new FewShotEpisode("probe episode " + e + ": " + names(ids), s.ways(),
                    pools.sample(ids, ids, s.shots(), true, rng), pools.sample(ids, ids, s.query(), false, rng)));
        }
        ScenarioInfo info = new ScenarioInfo("few-shot", infos, mnistTrain.featureDim(),
                new int[] {1, mnistTrain.rows(), mnistTrain.cols()}, s.trainPool(), s.ways());
        String prov = "mnist train=" + mnistTrain.source() + ", test=" + mnistTest.source() + "; fashion-mnist train="
                + fashionTrain.source() + ", test=" + fashionTest.source();
        return new FewShotScenario(info, train, test, prov, trainIds, heldIds, eps, epClasses, pools, s);
    }

    private static String names(int[] ids) {
        StringBuilder b = new StringBuilder();
        for (int id : ids) {
            if (b.length() > 0) {
                b.append(',');
            }
            int base = id / ROTATIONS.length;
            b.append(base < 10 ? "mnist-" + base : "fashion-" + (base - 10)).append('@')
                    .append(ROTATIONS[id % ROTATIONS.length]);
        }
        return b.toString();
    }

    @Override
    public List<FewShotEpisode> probeEpisodes() {
        return episodes;
    }

    @Override
    public int adaptationSteps() {
        return shape.probeSteps();
    }

    @Override
    public double adaptationLr() {
        return shape.probeLr();
    }

    /** Pseudo-class ids (0..79) of the training pool, by class label. */
    public int[] trainingPool() {
        return trainPoolIds.clone();
    }

    /** Pseudo-class ids (0..79) of the held-out pool. */
    public int[] heldOutPool() {
        return heldOutIds.clone();
    }

    /** Pseudo-class ids of probe episode {@code e}, by local label. */
    public int[] episodeClasses(int e) {
        return episodeClasses.get(e).clone();
    }

    /** Every image of pseudo-class {@code id} in one split (all of its quarter), rotated; for tests. */
    public TaskData allOf(int id, boolean trainSplit) {
        return pools.all(id, trainSplit);
    }

    /** The per-pseudo-class image quarters. */
    private static final class Pools {
        private final ImageSet[] train;
        private final ImageSet[] test;
        /** [split][pseudo-class] -> image indices into the base's dataset. */
        private final int[][][] members = new int[2][PSEUDO_CLASSES][];
        private final Rotation[] rotations = new Rotation[ROTATIONS.length];

        Pools(ImageSet[] train, ImageSet[] test, long seed) {
            this.train = train;
            this.test = test;
            for (int split = 0; split < 2; split++) {
                ImageSet[] sets = split == 0 ? train : test;
                for (int base = 0; base < BASES; base++) {
                    ImageSet set = sets[base / 10];
                    int label = base % 10;
                    int[] idx = Arrays.stream(range(set.size())).filter(i -> set.label(i) == label).toArray();
                    int[] perm = Rng.forComponent(seed, "few-shot/quarters/" + split + "/" + base)
                            .permutation(idx.length);
                    for (int r = 0; r < ROTATIONS.length; r++) {
                        List<Integer> mine = new ArrayList<>();
                        for (int k = r; k < perm.length; k += ROTATIONS.length) {
                            mine.add(idx[perm[k]]);
                        }
                        members[split][base * ROTATIONS.length + r] = mine.stream().mapToInt(Integer::intValue)
                                .sorted().toArray();
                    }
                }
            }
            for (int r = 0; r < ROTATIONS.length; r++) {
                rotations[r] = new Rotation(ROTATIONS[r], 1, train[0].rows(), train[0].cols());
            }
        }

        private static int[] range(int n) {
            int[] a = new int[n];
            for (int i = 0; i < n; i++) {
                a[i] = i;
            }
            return a;
        }

        /** {@code perClass} random samples of each class, materialised; labels {@code labels[i]}, local {@code i}. */
        TaskData sample(int[] ids, int[] labels, int perClass, boolean trainSplit, Rng rng) {
            int dim = train[0].featureDim();
            float[] x = new float[ids.length * perClass * dim];
            int[] cls = new int[ids.length * perClass];
            int[] local = new int[ids.length * perClass];
            int n = 0;
            for (int i = 0; i < ids.length; i++) {
                int[] m = members[trainSplit ? 0 : 1][ids[i]];
                if (m.length < perClass) {
                    throw new IllegalArgumentException("pseudo-class " + ids[i] + " has " + m.length + " "
                            + (trainSplit ? "training" : "test") + " images, " + perClass + " needed per class");
                }
                int[] perm = rng.permutation(m.length);
                for (int k = 0; k < perClass; k++) {
                    copy(ids[i], m[perm[k]], trainSplit, x, n * dim);
                    cls[n] = labels[i];
                    local[n] = i;
                    n++;
                }
            }
            return new ArrayTaskData(x, dim, cls, local);
        }

        TaskData all(int id, boolean trainSplit) {
            int[] m = members[trainSplit ? 0 : 1][id];
            int dim = train[0].featureDim();
            float[] x = new float[m.length * dim];
            for (int k = 0; k < m.length; k++) {
                copy(id, m[k], trainSplit, x, k * dim);
            }
            int[] lab = new int[m.length];
            Arrays.fill(lab, id);
            return new ArrayTaskData(x, dim, lab, new int[m.length]);
        }

        private void copy(int id, int image, boolean trainSplit, float[] dst, int off) {
            int base = id / ROTATIONS.length;
            ImageSet set = (trainSplit ? train : test)[base / 10];
            float[] raw = new float[set.featureDim()];
            set.copyImage(image, raw, 0);
            rotations[id % ROTATIONS.length].apply(raw, 0, dst, off);
        }
    }
}
