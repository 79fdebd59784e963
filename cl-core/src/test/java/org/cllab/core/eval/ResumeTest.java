package org.cllab.core.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.cllab.core.api.ClassIncrementalPredictor;
import org.cllab.core.api.ClassIncrementalQuery;
import org.cllab.core.api.ContinualLearner;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;
import org.cllab.core.api.StreamBatch;
import org.cllab.core.api.StreamingLearner;
import org.cllab.core.api.TaskAwareLearner;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.api.TrainingListener;
import org.cllab.core.api.UpperBoundLearner;
import org.cllab.core.learners.AbstractMlpLearner;
import org.cllab.core.learners.FinetuneLearner;
import org.cllab.core.learners.JointLearner;
import org.cllab.core.learners.MlpLearnerSpec;
import org.cllab.core.metrics.AccuracyMatrix;
import org.cllab.core.nn.Activation;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.cllab.core.testing.MemoryBoundaryStore;
import org.cllab.core.testing.SyntheticScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Checkpoint/resume through the protocol: a run interrupted after a task boundary and resumed with a fresh
 * learner from the saved boundary ends exactly where an uninterrupted run ends. Also: a boundary-free learner
 * is fed only {@link StreamBatch}es.
 */
class ResumeTest {
    private static final int TASKS = 4;
    private static final long LEARNER_SEED = 5L;
    // resetOptimizerPerTask = false: Adam's moments and step count must survive the checkpoint too
    private static final MlpLearnerSpec SPEC = new MlpLearnerSpec(new int[] {16}, Activation.RELU,
            MlpLearnerSpec.OptimizerKind.ADAM, 0.01, 0.0, 32, 3, false);
    private static final ContinualProtocol.Options OPTIONS = new ContinualProtocol.Options(
            List.of(Mode.CLASS_INCREMENTAL, Mode.TASK_INCREMENTAL), Mode.CLASS_INCREMENTAL, 50, 9L);
    private static final SyntheticScenario SCENARIO = SyntheticScenario.split(TASKS, 2, 10, 60, 30, 77L);

    /** Records protocol events; throws after the boundary of {@code interruptAfter} tasks (-1: never). */
    static final class RecordingListener implements ProtocolListener {
        final int interruptAfter;
        final List<Integer> started = new ArrayList<>();
        final List<Integer> boundaries = new ArrayList<>();
        int resumedAt = -1;

        RecordingListener(int interruptAfter) {
            this.interruptAfter = interruptAfter;
        }

        @Override
        public void onResume(int tasksDone) {
            resumedAt = tasksDone;
        }

        @Override
        public void onTaskStart(TaskInfo task) {
            started.add(task.index());
        }

        @Override
        public void onBoundary(ProtocolState state) {
            boundaries.add(state.tasksDone());
            if (state.tasksDone() == interruptAfter) {
                throw new IllegalStateException("simulated crash after task boundary " + interruptAfter);
            }
        }
    }

    private static AbstractMlpLearner build(String kind) {
        LearnerContext ctx = new LearnerContext(SCENARIO.info(), Mode.CLASS_INCREMENTAL, LEARNER_SEED,
                TrainingListener.NONE);
        return switch (kind) {
            case "finetune" -> new FinetuneLearner(SPEC, ctx);
            case "joint" -> new JointLearner(SPEC, ctx);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static ContinualLearner asLearner(AbstractMlpLearner l) {
        return (ContinualLearner) l;
    }

    @ParameterizedTest
    @ValueSource(strings = {"finetune", "joint"})
    void interruptedAndResumedRunEqualsUninterruptedRun(String kind) throws IOException {
        AbstractMlpLearner reference = build(kind);
        MemoryBoundaryStore referenceStore = new MemoryBoundaryStore();
        ContinualProtocol.Result expected = ContinualProtocol.run(SCENARIO, asLearner(reference), OPTIONS,
                referenceStore, ProtocolListener.NONE);
        assertEquals(-1, expected.resumedAfter());
        assertEquals(List.of(0, 1, 2, 3, 4), referenceStore.saved);

        MemoryBoundaryStore store = new MemoryBoundaryStore();
        RecordingListener crashing = new RecordingListener(2);
        IllegalStateException crash = assertThrows(IllegalStateException.class,
                () -> ContinualProtocol.run(SCENARIO, asLearner(build(kind)), OPTIONS, store, crashing));
        assertTrue(crash.getMessage().contains("simulated crash"), crash.getMessage());
        assertEquals(List.of(0, 1, 2), store.saved);
        assertEquals(2, store.state.tasksDone());
        assertEquals(List.of(0, 1), crashing.started);

        AbstractMlpLearner resumed = build(kind);
        RecordingListener resumeListener = new RecordingListener(-1);
        ContinualProtocol.Result result = ContinualProtocol.run(SCENARIO, asLearner(resumed), OPTIONS, store,
                resumeListener);

        assertEquals(2, result.resumedAfter());
        assertEquals(2, resumeListener.resumedAt);
        assertEquals(List.of(2, 3), resumeListener.started, "only the remaining tasks are trained");
        assertEquals(List.of(3, 4), resumeListener.boundaries);
        assertEquals(TASKS, result.taskSeconds().size());
        assertEquals(expected.matrices().keySet(), result.matrices().keySet());
        for (String series : expected.matrices().keySet()) {
            assertEquals(expected.matrices().get(series), result.matrices().get(series), series);
        }
        INDArray want = reference.classifier().network().params();
        INDArray got = resumed.classifier().network().params();
        assertEquals(want, got);
        // INDArray.equals compares with a tolerance; the resumed run must match bit for bit
        assertArrayEquals(want.dup().data().asFloat(), got.dup().data().asFloat(), 0f);
        float[] w = want.dup().data().asFloat();
        float[] g = got.dup().data().asFloat();
        for (int i = 0; i < w.length; i++) {
            assertEquals(Float.floatToRawIntBits(w[i]), Float.floatToRawIntBits(g[i]), "parameter " + i);
        }
    }

    @Test
    void resumingAfterTheLastBoundaryTrainsNothing() throws IOException {
        MemoryBoundaryStore store = new MemoryBoundaryStore();
        AbstractMlpLearner first = build("finetune");
        ContinualProtocol.Result done = ContinualProtocol.run(SCENARIO, asLearner(first), OPTIONS, store,
                ProtocolListener.NONE);
        AbstractMlpLearner second = build("finetune");
        RecordingListener listener = new RecordingListener(-1);
        ContinualProtocol.Result again = ContinualProtocol.run(SCENARIO, asLearner(second), OPTIONS, store,
                listener);
        assertEquals(TASKS, again.resumedAfter());
        assertTrue(listener.started.isEmpty());
        assertEquals(done.matrices(), again.matrices());
        assertArrayEquals(first.classifier().network().params().dup().data().asFloat(),
                second.classifier().network().params().dup().data().asFloat(), 0f);
    }

    /**
     * Nearest class mean over the stream: a boundary-free learner that can only be given {@link StreamBatch}es
     * (it implements neither {@link TaskAwareLearner} nor {@link UpperBoundLearner}).
     */
    static final class NearestMeanLearner implements StreamingLearner, ClassIncrementalPredictor {
        private final int dim;
        private final double[][] sums;
        private final long[] counts;
        final List<Integer> batchSizes = new ArrayList<>();
        final Set<Integer> labelsSeen = new TreeSet<>();

        NearestMeanLearner(int numClasses, int dim) {
            this.dim = dim;
            this.sums = new double[numClasses][dim];
            this.counts = new long[numClasses];
        }

        @Override
        public void observe(StreamBatch batch) {
            float[] x = batch.features().dup('c').data().asFloat();
            int[] y = batch.labels();
            assertEquals(y.length, batch.features().size(0));
            assertEquals(dim, batch.features().size(1));
            batchSizes.add(y.length);
            for (int i = 0; i < y.length; i++) {
                labelsSeen.add(y[i]);
                counts[y[i]]++;
                for (int d = 0; d < dim; d++) {
                    sums[y[i]][d] += x[i * dim + d];
                }
            }
        }

        @Override
        public int streamBatchSize() {
            return 16;
        }

        @Override
        public int[] predict(ClassIncrementalQuery query) {
            float[] x = query.features().dup('c').data().asFloat();
            int n = (int) query.features().size(0);
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                int best = -1;
                double bestD = Double.POSITIVE_INFINITY;
                for (int c = 0; c < counts.length; c++) {
                    if (counts[c] == 0) {
                        continue;
                    }
                    double dist = 0;
                    for (int d = 0; d < dim; d++) {
                        double diff = x[i * dim + d] - sums[c][d] / counts[c];
                        dist += diff * diff;
                    }
                    if (dist < bestD) {
                        bestD = dist;
                        best = c;
                    }
                }
                out[i] = best;
            }
            return out;
        }

        @Override
        public Set<Mode> evaluationModes() {
            return EnumSet.of(Mode.CLASS_INCREMENTAL);
        }

        @Override
        public void saveState(StateWriter out) throws IOException {
            throw new UnsupportedOperationException("not used with BoundaryStore.NONE");
        }

        @Override
        public void loadState(StateReader in) throws IOException {
            throw new UnsupportedOperationException("not used with BoundaryStore.NONE");
        }
    }

    @Test
    void streamingLearnerOnlyReceivesStreamBatches() throws IOException {
        NearestMeanLearner ncm = new NearestMeanLearner(SCENARIO.info().numClasses(), SCENARIO.info().featureDim());
        // the protocol can only reach it through StreamingLearner.observe(StreamBatch)
        assertFalse(TaskAwareLearner.class.isAssignableFrom(NearestMeanLearner.class));
        assertFalse(UpperBoundLearner.class.isAssignableFrom(NearestMeanLearner.class));
        ContinualProtocol.Options options = new ContinualProtocol.Options(List.of(Mode.CLASS_INCREMENTAL),
                Mode.CLASS_INCREMENTAL, 50, 9L);
        ContinualProtocol.Result result = ContinualProtocol.run(SCENARIO, ncm, options, BoundaryStore.NONE,
                ProtocolListener.NONE);

        AccuracyMatrix r = result.matrices().get(Mode.CLASS_INCREMENTAL.key());
        assertNotNull(r);
        assertEquals(TASKS, r.numTasks());
        double chance = 1.0 / SCENARIO.info().numClasses();
        for (int k = 0; k < TASKS; k++) {
            assertEquals(0.0, r.get(0, k), "untrained learner predicts no class");
            assertTrue(r.get(TASKS, k) > 0.9 && r.get(TASKS, k) > chance, "final accuracy on task " + k + "\n" + r);
            // a task not yet streamed cannot be recognised by a nearest-class-mean learner
            for (int row = 1; row <= k; row++) {
                assertEquals(0.0, r.get(row, k), 1e-12, "R[" + row + "][" + k + "]\n" + r);
            }
        }
        // every training sample arrived exactly once, with class labels, in batches of exactly streamBatchSize
        // except the last of the whole stream (a short batch would mark a task boundary)
        int total = 0;
        for (int t = 0; t < TASKS; t++) {
            total += SCENARIO.train(t).size();
        }
        assertEquals(total, ncm.batchSizes.stream().mapToInt(Integer::intValue).sum());
        List<Integer> sizes = ncm.batchSizes;
        assertTrue(sizes.subList(0, sizes.size() - 1).stream().allMatch(b -> b == 16), sizes.toString());
        assertTrue(sizes.get(sizes.size() - 1) >= 1 && sizes.get(sizes.size() - 1) <= 16, sizes.toString());
        assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7), ncm.labelsSeen);
    }
}
