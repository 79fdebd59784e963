package org.cllab.scenarios;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cllab.core.api.ScenarioInfo;
import org.cllab.core.data.TaskData;
import org.cllab.scenarios.data.ImageSet;
import org.junit.jupiter.api.Test;

/** Split, Permuted and Rotated streams built over small in-memory image sets. */
class StreamBuildersTest {
    private static final int SIDE = 4;
    private static final int DIM = SIDE * SIDE;
    private static final int CLASSES = 10;
    /** 3 images per class, labels 0,1,...,9,0,1,... in file order. */
    private static final ImageSet TRAIN = images("train.idx", 3, 0);
    /** 2 images per class. */
    private static final ImageSet TEST = images("test.idx", 2, 101);

    /**
     * {@code perClass * 10} 4x4 images; image {@code i} has label {@code i % 10} and pixel {@code k} =
     * {@code (7 i + 13 k + offset) mod 256}, so the 16 pixel values of an image are all different.
     */
    private static ImageSet images(String source, int perClass, int offset) {
        int n = perClass * CLASSES;
        byte[] px = new byte[n * DIM];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % CLASSES;
            for (int k = 0; k < DIM; k++) {
                px[i * DIM + k] = (byte) ((7 * i + 13 * k + offset) & 0xff);
            }
        }
        return new ImageSet(source, SIDE, SIDE, 1, px, labels);
    }

    private static float[] image(ImageSet set, int i) {
        float[] v = new float[set.featureDim()];
        set.copyImage(i, v, 0);
        return v;
    }

    private static float[] features(TaskData d, int i) {
        float[] v = new float[d.featureDim()];
        d.copyFeatures(i, v, 0);
        return v;
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }

    /** Indices of the images of {@code set} whose label is in {@code classes}, in file order. */
    private static List<Integer> indicesOf(ImageSet set, int[] classes) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            if (indexOf(classes, set.label(i)) >= 0) {
                idx.add(i);
            }
        }
        return idx;
    }

    /** Checks that {@code part} holds exactly the images of {@code classes}, in file order, with correct labels. */
    private static void assertSplitPart(ImageSet set, TaskData part, int[] classes, int limit) {
        List<Integer> expected = indicesOf(set, classes);
        if (limit > 0) {
            expected = expected.subList(0, Math.min(limit, expected.size()));
        }
        assertEquals(expected.size(), part.size());
        assertEquals(DIM, part.featureDim());
        for (int k = 0; k < part.size(); k++) {
            int i = expected.get(k);
            assertEquals(set.label(i), part.classLabel(k), "class label of sample " + k);
            assertEquals(indexOf(classes, set.label(i)), part.localLabel(k), "local label of sample " + k);
            assertArrayEquals(image(set, i), features(part, k), 0f, "features of sample " + k);
        }
    }

    private static int[] classOrder(ImageScenario s) {
        int[] all = new int[0];
        for (int t = 0; t < s.info().numTasks(); t++) {
            int[] c = s.info().task(t).classes();
            int[] joined = Arrays.copyOf(all, all.length + c.length);
            System.arraycopy(c, 0, joined, all.length, c.length);
            all = joined;
        }
        return all;
    }

    // ---------------------------------------------------------------- split

    @Test
    void splitWithFixedOrderTakesConsecutiveClassPairs() {
        ImageScenario s = StreamBuilders.split("split-toy", TRAIN, TEST, 5, 2, false, 42L, 0);
        ScenarioInfo info = s.info();
        assertEquals("split-toy", info.name());
        assertEquals(5, info.numTasks());
        assertEquals(10, info.numClasses());
        assertEquals(2, info.localClasses());
        assertEquals(DIM, info.featureDim());
        assertArrayEquals(new int[] {1, SIDE, SIDE}, info.inputShape());
        for (int t = 0; t < 5; t++) {
            int[] classes = {2 * t, 2 * t + 1};
            assertArrayEquals(classes, info.task(t).classes(), "task " + t);
            assertEquals(t, info.task(t).index());
            assertSplitPart(TRAIN, s.train(t), classes, 0);
            assertSplitPart(TEST, s.test(t), classes, 0);
            assertEquals(6, s.train(t).size());
            assertEquals(4, s.test(t).size());
        }
        assertTrue(s.dataProvenance().contains("train.idx") && s.dataProvenance().contains("test.idx"),
                s.dataProvenance());
    }

    @Test
    void splitShuffledOrderIsASeededReproduciblePermutation() {
        int[] order = classOrder(StreamBuilders.split("s", TRAIN, TEST, 5, 2, true, 1L, 0));
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted);
        assertFalse(Arrays.equals(sorted, order), "shuffled order is the identity: " + Arrays.toString(order));
        assertArrayEquals(order, classOrder(StreamBuilders.split("s", TRAIN, TEST, 5, 2, true, 1L, 0)));
        boolean differs = false;
        for (long seed = 2; seed <= 6; seed++) {
            differs |= !Arrays.equals(order, classOrder(StreamBuilders.split("s", TRAIN, TEST, 5, 2, true, seed, 0)));
        }
        assertTrue(differs, "the class order does not depend on the stream seed");
    }

    /**
     * Golden class order for stream seed 1, computed once and pinned: shuffled Split streams of published runs
     * are reproduced from their seed through this order, so a change here (in StreamBuilders or in the Rng/Seeds
     * it draws from) silently changes every shuffled Split stream. Update only with a deliberate change.
     */
    @Test
    void splitShuffledOrderGoldenValue() {
        assertArrayEquals(new int[] {7, 0, 8, 5, 1, 6, 4, 2, 3, 9},
                classOrder(StreamBuilders.split("s", TRAIN, TEST, 5, 2, true, 1L, 0)));
    }

    @Test
    void splitShuffledTasksHaveCorrectLocalLabels() {
        ImageScenario s = StreamBuilders.split("s", TRAIN, TEST, 3, 3, true, 8L, 0);
        assertEquals(3, s.info().localClasses());
        for (int t = 0; t < 3; t++) {
            int[] classes = s.info().task(t).classes();
            assertEquals(3, classes.length);
            assertSplitPart(TRAIN, s.train(t), classes, 0);
            assertSplitPart(TEST, s.test(t), classes, 0);
        }
        // the 9 classes used are distinct
        assertEquals(9, Arrays.stream(classOrder(s)).distinct().count());
    }

    @Test
    void splitTrainLimitCapsTrainingPartOnly() {
        ImageScenario s = StreamBuilders.split("s", TRAIN, TEST, 5, 2, false, 42L, 2);
        for (int t = 0; t < 5; t++) {
            int[] classes = {2 * t, 2 * t + 1};
            assertEquals(2, s.train(t).size());
            assertSplitPart(TRAIN, s.train(t), classes, 2);
            assertEquals(4, s.test(t).size(), "the test part is never capped");
        }
    }

    @Test
    void splitRejectsMoreClassesThanTheDatasetHas() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StreamBuilders.split("s", TRAIN, TEST, 6, 2, false, 1L, 0));
        assertTrue(e.getMessage().contains("12"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StreamBuilders.split("s", TRAIN, TEST, 4, 3, true, 1L, 0));
        // exactly all classes is fine
        assertEquals(2, StreamBuilders.split("s", TRAIN, TEST, 2, 5, false, 1L, 0).info().numTasks());
    }

    // ---------------------------------------------------------------- permuted

    /** The permutation that turns {@code src} into {@code out} (pixel values of an image are distinct). */
    private static int[] recoverPermutation(float[] src, float[] out) {
        int[] perm = new int[out.length];
        for (int j = 0; j < out.length; j++) {
            perm[j] = -1;
            for (int k = 0; k < src.length; k++) {
                if (src[k] == out[j]) {
                    perm[j] = k;
                }
            }
            assertTrue(perm[j] >= 0, "output pixel " + j + " is no input pixel");
        }
        return perm;
    }

    private static boolean isIdentity(int[] p) {
        for (int i = 0; i < p.length; i++) {
            if (p[i] != i) {
                return false;
            }
        }
        return true;
    }

    private static void assertAllLabelsPermuted(ImageSet set, TaskData part, int t, int limit) {
        int n = limit > 0 ? Math.min(limit, set.size()) : set.size();
        assertEquals(n, part.size());
        for (int i = 0; i < n; i++) {
            assertEquals(t * CLASSES + set.label(i), part.classLabel(i));
            assertEquals(set.label(i), part.localLabel(i));
        }
    }

    @Test
    void permutedLabelsAndTaskInfos() {
        ImageScenario s = StreamBuilders.permuted("pmnist-toy", TRAIN, TEST, 3, 9L, false, 0);
        ScenarioInfo info = s.info();
        assertEquals(3, info.numTasks());
        assertEquals(30, info.numClasses());
        assertEquals(10, info.localClasses());
        for (int t = 0; t < 3; t++) {
            int[] expected = new int[CLASSES];
            for (int d = 0; d < CLASSES; d++) {
                expected[d] = t * CLASSES + d;
            }
            assertArrayEquals(expected, info.task(t).classes(), "task " + t);
            assertAllLabelsPermuted(TRAIN, s.train(t), t, 0);
            assertAllLabelsPermuted(TEST, s.test(t), t, 0);
        }
    }

    @Test
    void permutedTaskZeroIsUnpermutedAndOthersPermuteThePixels() {
        ImageScenario s = StreamBuilders.permuted("p", TRAIN, TEST, 3, 9L, false, 0);
        for (int i = 0; i < TRAIN.size(); i++) {
            assertArrayEquals(image(TRAIN, i), features(s.train(0), i), 0f, "task 0, train sample " + i);
        }
        for (int i = 0; i < TEST.size(); i++) {
            assertArrayEquals(image(TEST, i), features(s.test(0), i), 0f, "task 0, test sample " + i);
        }
        int[][] perms = new int[3][];
        for (int t = 1; t < 3; t++) {
            float[] src = image(TRAIN, 0);
            float[] out = features(s.train(t), 0);
            float[] a = src.clone();
            float[] b = out.clone();
            Arrays.sort(a);
            Arrays.sort(b);
            assertArrayEquals(a, b, 0f, "task " + t + " does not hold the same pixel values");
            int[] perm = recoverPermutation(src, out);
            assertEquals(DIM, Arrays.stream(perm).distinct().count(), "not a permutation");
            assertFalse(isIdentity(perm), "task " + t + " is not permuted");
            // one fixed permutation per task, shared by every training and test sample
            for (int i = 0; i < TRAIN.size(); i++) {
                float[] x = image(TRAIN, i);
                float[] y = features(s.train(t), i);
                for (int j = 0; j < DIM; j++) {
                    assertEquals(x[perm[j]], y[j], 0f, "task " + t + ", train sample " + i + ", pixel " + j);
                }
            }
            for (int i = 0; i < TEST.size(); i++) {
                float[] x = image(TEST, i);
                float[] y = features(s.test(t), i);
                for (int j = 0; j < DIM; j++) {
                    assertEquals(x[perm[j]], y[j], 0f, "task " + t + ", test sample " + i + ", pixel " + j);
                }
            }
            perms[t] = perm;
        }
        assertFalse(Arrays.equals(perms[1], perms[2]), "tasks 1 and 2 share a permutation");
    }

    @Test
    void permutedFirstTaskAndSeedDependence() {
        ImageScenario s = StreamBuilders.permuted("p", TRAIN, TEST, 2, 9L, true, 0);
        assertFalse(isIdentity(recoverPermutation(image(TRAIN, 0), features(s.train(0), 0))),
                "permuteFirst=true must permute task 0");
        ImageScenario same = StreamBuilders.permuted("p", TRAIN, TEST, 2, 9L, true, 0);
        ImageScenario other = StreamBuilders.permuted("p", TRAIN, TEST, 2, 10L, true, 0);
        for (int t = 0; t < 2; t++) {
            assertArrayEquals(features(s.train(t), 5), features(same.train(t), 5), 0f);
            assertFalse(Arrays.equals(features(s.train(t), 5), features(other.train(t), 5)),
                    "task " + t + " permutation does not depend on the seed");
        }
    }

    @Test
    void permutedTrainLimitCapsTrainingPartOnly() {
        ImageScenario s = StreamBuilders.permuted("p", TRAIN, TEST, 2, 9L, false, 7);
        for (int t = 0; t < 2; t++) {
            assertAllLabelsPermuted(TRAIN, s.train(t), t, 7);
            assertEquals(TEST.size(), s.test(t).size());
        }
    }

    // ---------------------------------------------------------------- rotated

    /** A 3x3 image set: image 0 lit at (0, 2) with label 0, image 1 lit at (1, 2) with label 1. */
    private static ImageSet litPixels() {
        byte[] px = new byte[18];
        px[2] = (byte) 255;
        px[9 + 5] = (byte) 255;
        return new ImageSet("lit", 3, 3, 1, px, new int[] {0, 1});
    }

    private static float[] lit(int n, int... on) {
        float[] v = new float[n];
        for (int i : on) {
            v[i] = 1f;
        }
        return v;
    }

    @Test
    void rotatedTasksRotateCounterClockwise() {
        ImageSet set = litPixels();
        ImageScenario s = StreamBuilders.rotated("rot", set, set, new double[] {0, 90, 180}, 0);
        assertEquals(3, s.info().numTasks());
        assertEquals(6, s.info().numClasses());
        assertEquals(2, s.info().localClasses());
        // 0 degrees: the original images
        assertArrayEquals(lit(9, 2), features(s.train(0), 0), 0f);
        assertArrayEquals(lit(9, 5), features(s.test(0), 1), 0f);
        // 90 degrees counter-clockwise: (0,2) -> (0,0), (1,2) -> (0,1)
        assertArrayEquals(lit(9, 0), features(s.train(1), 0), 1e-6f);
        assertArrayEquals(lit(9, 1), features(s.train(1), 1), 1e-6f);
        // 180 degrees: (0,2) -> (2,0), (1,2) -> (1,0)
        assertArrayEquals(lit(9, 6), features(s.test(2), 0), 1e-6f);
        assertArrayEquals(lit(9, 3), features(s.test(2), 1), 1e-6f);
        for (int t = 0; t < 3; t++) {
            assertEquals(2 * t, s.train(t).classLabel(0));
            assertEquals(2 * t + 1, s.train(t).classLabel(1));
            assertEquals(1, s.test(t).localLabel(1));
            assertArrayEquals(new int[] {2 * t, 2 * t + 1}, s.info().task(t).classes());
        }
    }

    @Test
    void rotationOfA4x4ImageMovesTheLitPixel() {
        // 90 degrees counter-clockwise: output (r, c) = input (c, 3 - r), so input (0, 1) lands at (2, 0)
        float[] out = new float[16];
        new Rotation(90, 1, 4, 4).apply(lit(16, 1), 0, out, 0);
        assertArrayEquals(lit(16, 8), out, 1e-6f);
        // -90 degrees (clockwise): input (0, 1) lands at (1, 3)
        new Rotation(-90, 1, 4, 4).apply(lit(16, 1), 0, out, 0);
        assertArrayEquals(lit(16, 7), out, 1e-6f);
    }

    @Test
    void rotationByZeroIsIdentityAndFourQuarterTurnsAreIdentity() {
        float[] img = image(TRAIN, 4);
        float[] out = new float[DIM];
        new Rotation(0, 1, SIDE, SIDE).apply(img, 0, out, 0);
        assertArrayEquals(img, out, 0f);
        Rotation quarter = new Rotation(90, 1, SIDE, SIDE);
        float[] a = img.clone();
        for (int k = 0; k < 4; k++) {
            float[] b = new float[DIM];
            quarter.apply(a, 0, b, 0);
            if (k == 0) {
                assertFalse(Arrays.equals(img, b), "one quarter turn changed nothing");
            }
            a = b;
        }
        assertArrayEquals(img, a, 1e-5f);
    }

    @Test
    void rotationTurnsEveryChannelAndHonoursOffsets() {
        // 2 channels of 3x3: channel 0 lit at (1,2), channel 1 lit at (0,2); source and target at offsets
        float[] src = new float[3 + 18];
        src[3 + 5] = 1f;
        src[3 + 9 + 2] = 1f;
        float[] dst = new float[5 + 18];
        new Rotation(90, 2, 3, 3).apply(src, 3, dst, 5);
        float[] expected = new float[5 + 18];
        expected[5 + 1] = 1f;     // channel 0: (1,2) -> (0,1)
        expected[5 + 9] = 1f;     // channel 1: (0,2) -> (0,0)
        assertArrayEquals(expected, dst, 1e-6f);
    }

    @Test
    void evenAngles() {
        assertArrayEquals(new double[] {0, 45, 90, 135}, StreamBuilders.evenAngles(4, 180), 0.0);
        assertArrayEquals(new double[] {0}, StreamBuilders.evenAngles(1, 90), 0.0);
        assertArrayEquals(new double[] {0, 60, 120, 180, 240, 300}, StreamBuilders.evenAngles(6, 360), 1e-12);
    }}
