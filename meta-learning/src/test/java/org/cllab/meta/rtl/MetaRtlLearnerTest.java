package org.cllab.meta.rtl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;
import org.cllab.core.api.ScenarioInfo;
import org.cllab.core.api.TaskIncrementalQuery;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.api.TrainingExperience;
import org.cllab.core.api.TrainingListener;
import org.cllab.core.data.ArrayTaskData;
import org.cllab.core.data.TaskData;
import org.cllab.core.data.ValidationSplit;
import org.cllab.core.rng.Rng;
import org.cllab.core.spi.LearnerTraces;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Meta-RTL learner on a synthetic two-task stream whose tasks each come with three sources (Gaussian classes:
 * the same clusters, other clusters, the same clusters with random labels): a run saved after task 1 and resumed in a
 * fresh learner ends in the same state bytes and predictions as an uninterrupted one, for every weighting; the
 * traces have one row per meta-iteration and the weights are a distribution.
 */
class MetaRtlLearnerTest {
    private static final int DIM = 12;
    private static final int CLASSES = 4;

    private static float[][] centres(long seed) {
        Rng r = new Rng(seed);
        float[][] c = new float[CLASSES][DIM];
        for (float[] row : c) {
            for (int j = 0; j < DIM; j++) {
                row[j] = (float) (2 * r.nextGaussian());
            }
        }
        return c;
    }

    private static ArrayTaskData data(float[][] centres, int n, long seed, boolean randomLabels) {
        Rng r = new Rng(seed);
        float[] f = new float[n * DIM];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % CLASSES;
            for (int j = 0; j < DIM; j++) {
                f[i * DIM + j] = centres[c][j] + (float) r.nextGaussian();
            }
            y[i] = randomLabels ? r.nextInt(CLASSES) : c;
        }
        return new ArrayTaskData(f, DIM, y, y.clone());
    }

    private record Target(TaskData shots, TaskData validation) implements ValidationSplit {
        public int size() {
            return shots.size();
        }

        public int featureDim() {
            return shots.featureDim();
        }

        public void copyFeatures(int i, float[] dst, int offset) {
            shots.copyFeatures(i, dst, offset);
        }

        public int classLabel(int i) {
            return shots.classLabel(i);
        }

        public int localLabel(int i) {
            return shots.localLabel(i);
        }
    }

    private static final ScenarioInfo INFO = new ScenarioInfo("synthetic", List.of(
            new TaskInfo(0, "a", new int[] {0, 1, 2, 3}), new TaskInfo(1, "b", new int[] {0, 1, 2, 3})),
            DIM, new int[] {1, 1, DIM}, CLASSES, CLASSES);

    private static TrainingExperience experience(int t) {
        float[][] c = centres(t);
        Map<String, TaskData> sources = Map.of("s00:same", data(c, 80, 10 + t, false),
                "s01:other", data(centres(99), 80, 20 + t, false), "s02:random", data(c, 80, 30 + t, true));
        return new TrainingExperience(INFO.task(t), new Target(data(c, 8, 40 + t, false), data(c, 40, 50 + t, false)),
                INFO, sources);
    }

    private static MetaRtlLearner learner(MetaRtlLearner.Weighting w) {
        return learner(w, 0, 0);
    }

    private static MetaRtlLearner learner(MetaRtlLearner.Weighting w, int snapshotEvery, double smoothing) {
        MetaRtlLearner.Config cfg = new MetaRtlLearner.Config(new int[] {16}, w, 1, 6, 2, 0.05, 1.0, 1, 8, 6, 0.02,
                3, 3, 0.1, 0.9, 10, 0.05, 4, snapshotEvery, smoothing);
        return new MetaRtlLearner(cfg, new LearnerContext(INFO, Mode.TASK_INCREMENTAL, 3, TrainingListener.NONE));
    }

    @Test
    void aSnapshotRefreshedEveryIterationIsTheCurrentModel() throws IOException {
        MetaRtlLearner current = learner(MetaRtlLearner.Weighting.LSTM, 0, 0);
        MetaRtlLearner snapshot = learner(MetaRtlLearner.Weighting.LSTM, 1, 0);
        current.learn(experience(0));
        snapshot.learn(experience(0));
        assertArrayEquals(state(current), state(snapshot));
    }

    @Test
    void rewardOptionsChangeTheRewardsAfterTheFirstIterationAndResumeExactly() throws IOException {
        MetaRtlLearner plain = learner(MetaRtlLearner.Weighting.LSTM, 0, 0);
        plain.learn(experience(0));
        MetaRtlLearner reference = learner(MetaRtlLearner.Weighting.LSTM, 4, 0.5);
        reference.learn(experience(0));
        double[][] a = plain.traces().get(1).rows();
        double[][] b = reference.traces().get(1).rows();
        assertArrayEquals(a[0], b[0], 0, "iteration 0: the snapshot is the current model");
        assertFalse(java.util.Arrays.equals(a[1], b[1]), "iteration 1: rewards against the snapshot");
        assertFalse(java.util.Arrays.equals(plain.traces().get(0).rows()[2], reference.traces().get(0).rows()[2]),
                "weights follow the smoothed rewards");
        byte[] boundary = state(reference);
        reference.learn(experience(1));
        MetaRtlLearner resumed = learner(MetaRtlLearner.Weighting.LSTM, 4, 0.5);
        resumed.loadState(new StateReader(new ByteArrayInputStream(boundary)));
        resumed.learn(experience(1));
        assertArrayEquals(state(reference), state(resumed));
    }

    private static byte[] state(MetaRtlLearner l) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (StateWriter w = new StateWriter(bos)) {
            l.saveState(w);
        }
        return bos.toByteArray();
    }

    private static int[] predictions(MetaRtlLearner l) {
        TaskData d = data(centres(1), 30, 77, false);
        float[] f = new float[30 * DIM];
        for (int i = 0; i < 30; i++) {
            d.copyFeatures(i, f, i * DIM);
        }
        return l.predict(new TaskIncrementalQuery(Nd4j.create(f, new long[] {30, DIM}, DataType.FLOAT), INFO.task(1)));
    }

    @ParameterizedTest
    @EnumSource(MetaRtlLearner.Weighting.class)
    void resumedAfterTheFirstTaskEqualsUninterrupted(MetaRtlLearner.Weighting w) throws IOException {
        MetaRtlLearner reference = learner(w);
        reference.learn(experience(0));
        byte[] boundary = state(reference);
        reference.learn(experience(1));

        MetaRtlLearner resumed = learner(w);
        resumed.loadState(new StateReader(new ByteArrayInputStream(boundary)));
        assertArrayEquals(boundary, state(resumed), w + ": state after load");
        resumed.learn(experience(1));
        assertArrayEquals(state(reference), state(resumed), w + ": final state bytes");
        assertArrayEquals(predictions(reference), predictions(resumed), w + ": predictions");

        List<LearnerTraces.Trace> traces = reference.traces();
        if (w == MetaRtlLearner.Weighting.NONE) {
            assertTrue(traces.isEmpty());
            return;
        }
        LearnerTraces.Trace weights = traces.get(0);
        assertEquals("source_weights", weights.name());
        assertEquals(List.of("same", "other", "random"), weights.columns());
        assertEquals(12, weights.rows().length, "two tasks x 6 meta-iterations");
        for (double[] row : weights.rows()) {
            double sum = 0;
            for (double v : row) {
                assertTrue(v >= 0);
                sum += v;
            }
            assertEquals(1.0, sum, 1e-9);
        }
        if (w == MetaRtlLearner.Weighting.SINGLE) {
            assertArrayEquals(new double[] {0, 1, 0}, weights.rows()[11], 0);
        }
    }
}
