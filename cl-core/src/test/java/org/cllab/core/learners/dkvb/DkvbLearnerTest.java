package org.cllab.core.learners.dkvb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;
import org.cllab.core.api.ScenarioInfo;
import org.cllab.core.api.StreamBatch;
import org.cllab.core.api.TaskAwareLearner;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.api.TrainingListener;
import org.cllab.core.api.UpperBoundLearner;
import org.cllab.core.eval.BoundaryStore;
import org.cllab.core.eval.ContinualProtocol;
import org.cllab.core.eval.ProtocolListener;
import org.cllab.core.metrics.ClMetrics;
import org.cllab.core.rng.Rng;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.cllab.core.testing.SyntheticScenario;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The key-value bottleneck learner: exclusion of unused pairs, index cache, top-k, checkpoints, learning. */
class DkvbLearnerTest {
    private static ScenarioInfo info(int dim, int classes) {
        return new ScenarioInfo("t", List.of(new TaskInfo(0, "all", java.util.stream.IntStream.range(0, classes)
                .toArray())), dim, new int[] {1, 1, dim}, classes, classes);
    }

    private static DkvbSpec spec(int c, int m, int k, int topK, DkvbSpec.Split split, DkvbSpec.Decoder dec) {
        return new DkvbSpec(c, m, k, topK, 0, split, dec, 0.3, 0.1, 1.0, 8, 1, 0.95, 1e-5, 0.1, 512, 2, 64);
    }

    private static INDArray rows(float... v) {
        return Nd4j.create(v, new long[] {v.length, 1}, DataType.FLOAT);
    }

    @Test
    void evaluationNeverSelectsAPairThatTrainingNeverSelected() {
        // one codebook on the 1-d feature itself, keys at 0, 1, 2, 3
        LearnerContext ctx = new LearnerContext(info(1, 2), Mode.CLASS_INCREMENTAL, 5L, TrainingListener.NONE);
        DkvbLearner l = new DkvbLearner(spec(1, 4, 1, 1, DkvbSpec.Split.CHUNK, DkvbSpec.Decoder.MEAN), ctx,
                KeyInitSource.uniform(0, 3));
        l.useKeys(new float[] {0f, 1f, 2f, 3f});
        assertArrayEquals(new int[] {-1, -1}, l.predict(rows(0.1f, 2.9f)), "untrained: no pair may answer");
        for (int s = 0; s < 20; s++) {
            l.observe(new StreamBatch(rows(0.1f, -0.2f, 2.9f, 3.3f), new int[] {0, 0, 1, 1}));
        }
        assertArrayEquals(new int[] {40, 0, 0, 40}, l.usageCounts());
        // 1.1 and 1.9 are nearest to the never-used keys 1 and 2 (value 0 -> tied logits -> class 0);
        // excluding them, 1.1 fetches key 0 (class 0) and 1.9 fetches key 3 (class 1)
        INDArray probe = rows(1.1f, 1.9f, 1.45f, 1.55f);
        assertArrayEquals(new int[] {0, 1, 0, 1}, l.predict(probe));
        boolean[] used = {true, false, false, true};
        int[] idx = l.bottleneck().nearest(probe, 1, used);
        assertArrayEquals(new int[] {0, 3, 0, 3}, idx);
        assertArrayEquals(new int[] {1, 2, 1, 2}, l.bottleneck().nearest(probe, 1, null));
        // and the values of the unused pairs never moved
        float[] v = l.values();
        assertEquals(0f, v[2], 0f);
        assertEquals(0f, v[5], 0f);
    }

    @Test
    void codebookWithoutUsedKeysIsSkippedAndTopKExcludesUnusedPairs() {
        // two codebooks (chunks of a 2-d feature), 3 keys each; train only samples that use keys (0,*) of cb 0
        LearnerContext ctx = new LearnerContext(info(2, 2), Mode.CLASS_INCREMENTAL, 5L, TrainingListener.NONE);
        DkvbLearner l = new DkvbLearner(spec(2, 3, 1, 2, DkvbSpec.Split.CHUNK, DkvbSpec.Decoder.MEAN), ctx,
                KeyInitSource.uniform(0, 1));
        l.useKeys(new float[] {0f, 5f, 10f, 0f, 5f, 10f});
        l.observe(new StreamBatch(Nd4j.create(new float[] {0f, 0f, 5f, 0.2f}, new long[] {2, 2}, DataType.FLOAT),
                new int[] {0, 1}));
        // top-2 per head: cb0 selected {0,1} and {1,0}; cb1 selected {0,1} twice -> keys 2 of both never used
        int[] counts = l.usageCounts();
        assertArrayEquals(new int[] {2, 2, 0, 2, 2, 0}, counts);
        boolean[] used = new boolean[6];
        for (int i = 0; i < 6; i++) {
            used[i] = counts[i] > 0;
        }
        int[] idx = l.bottleneck().nearest(Nd4j.create(new float[] {9.9f, 9.9f}, new long[] {1, 2}, DataType.FLOAT),
                2, used);
        for (int g : idx) {
            assertTrue(g >= 0 && used[g], "selected unused pair " + g + " in " + Arrays.toString(idx));
        }
        // a codebook whose keys are all unused contributes -1 slots
        int[] none = l.bottleneck().nearest(Nd4j.create(new float[] {1f, 1f}, new long[] {1, 2}, DataType.FLOAT),
                1, new boolean[] {true, false, false, false, false, false});
        assertArrayEquals(new int[] {0, -1}, none);
    }

    @Test
    void cachedIndicesEqualABruteForceNearestKeySearch() {
        int c = 8;
        int m = 64;
        int k = 3;
        int d = 10;
        LearnerContext ctx = new LearnerContext(info(d, 4), Mode.CLASS_INCREMENTAL, 9L, TrainingListener.NONE);
        for (int topK : new int[] {1, 3}) {
            DkvbLearner l = new DkvbLearner(spec(c, m, k, topK, DkvbSpec.Split.RANDOM_PROJECTION,
                    DkvbSpec.Decoder.MEAN), ctx, KeyInitSource.uniform(-1, 1));
            Rng rng = new Rng(4);
            float[] x = new float[50 * d];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rng.nextGaussian();
            }
            INDArray xs = Nd4j.create(x, new long[] {50, d}, DataType.FLOAT);
            int[] cached = l.keyIndices(xs);
            float[] heads = l.bottleneck().headsArray(xs);
            float[] keys = l.bottleneck().keys();
            for (int i = 0; i < 50; i++) {
                for (int cb = 0; cb < c; cb++) {
                    double[] dist = new double[m];
                    for (int j = 0; j < m; j++) {
                        double s = 0;
                        for (int u = 0; u < k; u++) {
                            double diff = heads[(i * c + cb) * k + u] - keys[(cb * m + j) * k + u];
                            s += diff * diff;
                        }
                        dist[j] = s;
                    }
                    double[] sorted = dist.clone();
                    Arrays.sort(sorted);
                    for (int r = 0; r < topK; r++) {
                        int g = cached[(i * c + cb) * topK + r];
                        assertEquals(cb, g / m, "index in its own codebook");
                        assertEquals(sorted[r], dist[g % m], 1e-4, "rank " + r + " of sample " + i + ", codebook " + cb);
                    }
                }
            }
        }
    }

    @Test
    void checkpointRestoresTheLearnerExactly() throws IOException {
        for (DkvbSpec.Decoder dec : DkvbSpec.Decoder.values()) {
            SyntheticScenario sc = SyntheticScenario.split(2, 2, 6, 30, 10, 2L);
            LearnerContext ctx = new LearnerContext(sc.info(), Mode.CLASS_INCREMENTAL, 3L, TrainingListener.NONE);
            DkvbSpec spec = new DkvbSpec(4, 32, 3, 1, dec == DkvbSpec.Decoder.LINEAR ? 5 : 0,
                    DkvbSpec.Split.RANDOM_PROJECTION, dec, 0.3, 0.1, 1.0, 8, 2, 0.95, 1e-5, 0.1, 256, 1, 64);
            DkvbLearner a = new DkvbLearner(spec, ctx, KeyInitSource.uniform(-4, 4));
            Rng r = new Rng(8);
            StreamBatch b1 = batch(r, 6, 4);
            StreamBatch b2 = batch(r, 6, 4);
            a.observe(b1);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (StateWriter w = new StateWriter(bytes)) {
                a.saveState(w);
            }
            DkvbLearner b = new DkvbLearner(spec, ctx, KeyInitSource.uniform(-4, 4));
            b.loadState(new StateReader(new ByteArrayInputStream(bytes.toByteArray())));
            a.observe(b2);
            b.observe(b2);
            assertArrayEquals(a.values(), b.values(), 0f, dec.toString());
            assertArrayEquals(a.usageCounts(), b.usageCounts());
            assertArrayEquals(a.bottleneck().keys(), b.bottleneck().keys(), 0f);
            assertArrayEquals(a.predict(b1.features()), b.predict(b1.features()));
        }
    }

    private static StreamBatch batch(Rng r, int d, int classes) {
        float[] x = new float[8 * d];
        int[] y = new int[8];
        for (int i = 0; i < 8; i++) {
            y[i] = r.nextInt(classes);
            for (int u = 0; u < d; u++) {
                x[i * d + u] = (float) (r.nextGaussian() + 3 * y[i]);
            }
        }
        return new StreamBatch(Nd4j.create(x, new long[] {8, d}, DataType.FLOAT), y);
    }

    @Test
    void learnsASyntheticClassIncrementalStreamWithoutForgetting() throws IOException {
        SyntheticScenario sc = SyntheticScenario.split(4, 2, 10, 60, 30, 77L);
        LearnerContext ctx = new LearnerContext(sc.info(), Mode.CLASS_INCREMENTAL, 1L, TrainingListener.NONE);
        DkvbSpec spec = new DkvbSpec(16, 64, 4, 1, 0, DkvbSpec.Split.RANDOM_PROJECTION, DkvbSpec.Decoder.MEAN,
                0.3, 0.1, 1.0, 16, 20, 0.95, 1e-5, 0.1, 2048, 2, 128);
        DkvbLearner l = new DkvbLearner(spec, ctx, KeyInitSource.uniform(-8, 8));
        assertFalse(TaskAwareLearner.class.isAssignableFrom(DkvbLearner.class));
        assertFalse(UpperBoundLearner.class.isAssignableFrom(DkvbLearner.class));
        ContinualProtocol.Result res = ContinualProtocol.run(sc, l, new ContinualProtocol.Options(
                List.of(Mode.CLASS_INCREMENTAL), Mode.CLASS_INCREMENTAL, 100, 4L), BoundaryStore.NONE,
                ProtocolListener.NONE);
        var r = res.matrices().get("class-incremental");
        double acc = ClMetrics.acc(r);
        assertTrue(acc > 0.8, "final ACC " + acc + "\n" + r);
    }

    @Test
    void rejectsImpossibleSettings() {
        LearnerContext til = new LearnerContext(info(2, 2), Mode.TASK_INCREMENTAL, 5L, TrainingListener.NONE);
        assertThrows(IllegalArgumentException.class, () -> new DkvbLearner(spec(1, 4, 2, 1, DkvbSpec.Split.CHUNK,
                DkvbSpec.Decoder.MEAN), til, KeyInitSource.uniform(0, 1)));
        LearnerContext cil = new LearnerContext(info(2, 2), Mode.CLASS_INCREMENTAL, 5L, TrainingListener.NONE);
        assertThrows(IllegalArgumentException.class, () -> new DkvbLearner(spec(3, 4, 1, 1, DkvbSpec.Split.CHUNK,
                DkvbSpec.Decoder.MEAN), cil, KeyInitSource.uniform(0, 1)));
        assertThrows(IllegalArgumentException.class, () -> new DkvbLearner(new DkvbSpec(1, 4, 2, 1, 7,
                DkvbSpec.Split.CHUNK, DkvbSpec.Decoder.MEAN, 0.3, 0.1, 1, 8, 1, 0.95, 1e-5, 0.1, 8, 1, 8), cil,
                KeyInitSource.uniform(0, 1)));
        assertThrows(IllegalArgumentException.class, () -> spec(1, 4, 2, 5, DkvbSpec.Split.CHUNK,
                DkvbSpec.Decoder.MEAN));
    }
}
