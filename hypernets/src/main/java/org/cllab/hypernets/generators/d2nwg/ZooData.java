package org.cllab.hypernets.generators.d2nwg;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.cllab.core.nn.FrozenEncoder;
import org.cllab.scenarios.data.BundledMnist;
import org.cllab.scenarios.data.IdxDirectory;
import org.cllab.scenarios.data.ImageSet;

/**
 * The zoo's data: the 20 classes of MNIST (global classes 0-9, the bundled copy) and Fashion-MNIST (10-19, IDX files),
 * tasks drawn by a seed as 5-way subsets of them with a rotation by a multiple of 90 degrees, and each task's
 * train / validation / test splits as frozen-encoder features. The validation split is carved from the training
 * split (disjoint images); the test split comes from the datasets' test sets and is used only for reporting.
 */
public final class ZooData {
    /** A task: global classes in slot order (slot k = local label k) and a rotation in degrees. */
    public record TaskSpec(int index, int[] classes, int rotation) {
    }

    /** Features ({@code [n][dim]} row-major) and local labels. */
    public record Split(float[] x, int[] y) {
        public int size() {
            return y.length;
        }
    }

    /** A task's splits. */
    public record TaskSplits(TaskSpec spec, Split train, Split val, Split test) {
    }

    private final ImageSet[] mnist;
    private final ImageSet[] fashion;
    private final FrozenEncoder encoder;
    private final List<int[]>[][] byClass; // [train/test][global class] -> indices

    @SuppressWarnings("unchecked")
    public ZooData(Path fashionDir, FrozenEncoder encoder) {
        this.mnist = BundledMnist.loadTrainTest();
        this.fashion = IdxDirectory.loadTrainTest(fashionDir);
        this.encoder = encoder;
        if (encoder.inputDim() != 784) {
            throw new IllegalArgumentException("the encoder takes " + encoder.inputDim() + " inputs, not 28x28 images");
        }
        byClass = new List[2][20];
        for (int s = 0; s < 2; s++) {
            for (int c = 0; c < 20; c++) {
                ImageSet set = c < 10 ? mnist[s] : fashion[s];
                List<int[]> l = new ArrayList<>();
                int[] lab = set.labels();
                int count = 0;
                for (int v : lab) {
                    if (v == c % 10) {
                        count++;
                    }
                }
                int[] idx = new int[count];
                int k = 0;
                for (int i = 0; i < lab.length; i++) {
                    if (lab[i] == c % 10) {
                        idx[k++] = i;
                    }
                }
                l.add(idx);
                byClass[s][c] = l;
            }
        }
    }

    public int featureDim() {
        return encoder.outputDim();
    }

    /** {@code count} tasks of {@code ways} classes drawn by {@code seed}, rotations drawn from {@code rotations}. */
    public static List<TaskSpec> drawTasks(long seed, int count, int ways, int[] rotations) {
        SplittableRandom r = new SplittableRandom(seed);
        List<TaskSpec> out = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            int[] all = new int[20];
            for (int i = 0; i < 20; i++) {
                all[i] = i;
            }
            for (int i = 0; i < ways; i++) {
                int j = i + r.nextInt(20 - i);
                int tmp = all[i];
                all[i] = all[j];
                all[j] = tmp;
            }
            out.add(new TaskSpec(t, java.util.Arrays.copyOf(all, ways), rotations[r.nextInt(rotations.length)]));
        }
        return out;
    }

    /** The splits of {@code spec}: per class {@code train}, {@code val} training images and {@code test} test images. */
    public TaskSplits splits(TaskSpec spec, long seed, int train, int val, int test) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + spec.index());
        int k = spec.classes().length;
        int[][] trainIdx = new int[k][];
        int[][] testIdx = new int[k][];
        for (int c = 0; c < k; c++) {
            int g = spec.classes()[c];
            int[] tr = byClass[0][g].get(0).clone();
            WeightVae.shuffle(tr, r);
            if (tr.length < train + val) {
                throw new IllegalArgumentException("class " + g + " has only " + tr.length + " training images");
            }
            trainIdx[c] = tr;
            int[] te = byClass[1][g].get(0).clone();
            WeightVae.shuffle(te, r);
            testIdx[c] = java.util.Arrays.copyOf(te, Math.min(test, te.length));
        }
        return new TaskSplits(spec, split(spec, 0, trainIdx, 0, train), split(spec, 0, trainIdx, train, val),
                split(spec, 1, testIdx, 0, test));
    }

    private Split split(TaskSpec spec, int set, int[][] idx, int from, int per) {
        int k = idx.length;
        int n = 0;
        for (int[] a : idx) {
            n += Math.min(per, a.length - from);
        }
        float[] px = new float[n * 784];
        int[] y = new int[n];
        float[] img = new float[784];
        int row = 0;
        for (int c = 0; c < k; c++) {
            int g = spec.classes()[c];
            ImageSet s = (g < 10 ? mnist : fashion)[set];
            for (int i = from; i < Math.min(from + per, idx[c].length); i++) {
                s.copyImage(idx[c][i], img, 0);
                rotate(img, spec.rotation(), px, row * 784);
                y[row++] = c;
            }
        }
        return new Split(encoder.encodeAll(px, n), y);
    }

    static void rotate(float[] img, int degrees, float[] dst, int off) {
        int q = ((degrees / 90) % 4 + 4) % 4;
        for (int r = 0; r < 28; r++) {
            for (int c = 0; c < 28; c++) {
                int sr = r;
                int sc = c;
                for (int i = 0; i < q; i++) { // one quarter turn: (r, c) <- (27 - c, r)
                    int t = sr;
                    sr = 27 - sc;
                    sc = t;
                }
                dst[off + r * 28 + c] = img[sr * 28 + sc];
            }
        }
    }

    /** {@code shots} random training rows per class, class-slot ordered, as doubles ({@code [k*shots][dim]}). */
    public static double[] support(Split train, int classes, int shots, int dim, SplittableRandom r) {
        double[] out = new double[classes * shots * dim];
        int[][] rows = new int[classes][];
        int[] counts = new int[classes];
        for (int v : train.y()) {
            counts[v]++;
        }
        for (int c = 0; c < classes; c++) {
            rows[c] = new int[counts[c]];
            counts[c] = 0;
        }
        for (int i = 0; i < train.y().length; i++) {
            int c = train.y()[i];
            rows[c][counts[c]++] = i;
        }
        for (int c = 0; c < classes; c++) {
            for (int s = 0; s < shots; s++) {
                int i = rows[c][r.nextInt(rows[c].length)];
                for (int j = 0; j < dim; j++) {
                    out[((c * shots) + s) * dim + j] = train.x()[i * dim + j];
                }
            }
        }
        return out;
    }
}
