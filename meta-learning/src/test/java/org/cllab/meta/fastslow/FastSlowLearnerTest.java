package org.cllab.meta.fastslow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.cllab.core.api.ContinualLearner;
import org.cllab.core.api.FewShotEpisode;
import org.cllab.core.api.FewShotProbeSource;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.ListScenario;
import org.cllab.core.api.Mode;
import org.cllab.core.api.ScenarioInfo;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.api.TrainingExperience;
import org.cllab.core.api.TrainingListener;
import org.cllab.core.data.ArrayTaskData;
import org.cllab.core.data.TaskData;
import org.cllab.core.eval.BoundaryStore;
import org.cllab.core.eval.ContinualProtocol;
import org.cllab.core.eval.ProtocolListener;
import org.cllab.core.eval.ProtocolState;
import org.cllab.core.learners.MlpLearnerSpec;
import org.cllab.core.nn.Activation;
import org.cllab.core.rng.Rng;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class FastSlowLearnerTest {
    private static final int DIM = 12;
    private static final int TASKS = 4;
    private static final int WAYS = 3;
    private static final int POOL = 8;
    private static final MlpLearnerSpec SPEC = new MlpLearnerSpec(new int[] {16}, Activation.RELU,
            MlpLearnerSpec.OptimizerKind.ADAM, 0.01, 0.0, 8, 3, false);
    private static final FastSlowLearner.Coefficients FULL = new FastSlowLearner.Coefficients(
            FastSlowLearner.Variant.FULL, 0.05, 3, 0.5, 0.1, 0.2, 0.3, 10.0, 0.9, 0);
    private static final Stream STREAM = new Stream(21);

    /** Gaussian classes (a random mean each): a tiny few-shot stream with a held-out pool and a probe. */
    static final class Stream extends ListScenario implements FewShotProbeSource {
        private final List<FewShotEpisode> episodes;

        Stream(long seed) {
            this(seed, build(seed));
        }

        private Stream(long seed, Object[] parts) {
            super((ScenarioInfo) parts[0], cast(parts[1]), cast(parts[2]), "synthetic");
            this.episodes = cast(parts[3]);
        }

        @SuppressWarnings("unchecked")
        private static <T> List<T> cast(Object o) {
            return (List<T>) o;
        }

        private static Object[] build(long seed) {
            Rng rng = new Rng(seed);
            float[][] means = new float[POOL + 4][DIM];
            for (float[] m : means) {
                for (int d = 0; d < DIM; d++) {
                    m[d] = (float) (2 * rng.nextGaussian());
                }
            }
            List<TaskInfo> infos = new ArrayList<>();
            List<TaskData> train = new ArrayList<>();
            List<TaskData> test = new ArrayList<>();
            for (int t = 0; t < TASKS; t++) {
                int[] cls = java.util.Arrays.copyOf(rng.permutation(POOL), WAYS);
                infos.add(new TaskInfo(t, "task " + t, cls));
                train.add(samples(rng, means, cls, 0, 4));
                test.add(samples(rng, means, cls, 0, 6));
            }
            List<FewShotEpisode> eps = new ArrayList<>();
            for (int e = 0; e < 3; e++) {
                int[] cls = java.util.Arrays.copyOf(rng.permutation(4), WAYS);
                eps.add(new FewShotEpisode("e" + e, WAYS, samples(rng, means, cls, POOL, 4),
                        samples(rng, means, cls, POOL, 6)));
            }
            return new Object[] {new ScenarioInfo("synthetic-few-shot", infos, DIM, new int[] {1, 1, DIM}, POOL, WAYS),
                train, test, eps};
        }

        private static TaskData samples(Rng rng, float[][] means, int[] cls, int offset, int per) {
            float[] x = new float[cls.length * per * DIM];
            int[] c = new int[cls.length * per];
            int[] l = new int[cls.length * per];
            int n = 0;
            for (int i = 0; i < cls.length; i++) {
                for (int k = 0; k < per; k++) {
                    for (int d = 0; d < DIM; d++) {
                        x[n * DIM + d] = means[offset + cls[i]][d] + (float) rng.nextGaussian();
                    }
                    c[n] = cls[i];
                    l[n] = i;
                    n++;
                }
            }
            return new ArrayTaskData(x, DIM, c, l);
        }

        @Override
        public List<FewShotEpisode> probeEpisodes() {
            return episodes;
        }

        @Override
        public int adaptationSteps() {
            return 5;
        }

        @Override
        public double adaptationLr() {
            return 0.1;
        }
    }

    private static FastSlowLearner learner(FastSlowLearner.Coefficients k) {
        return new FastSlowLearner(SPEC, k, new LearnerContext(STREAM.info(), Mode.CLASS_INCREMENTAL, 13L,
                TrainingListener.NONE));
    }

    private static byte[] bytes(ContinualLearner l) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (StateWriter w = new StateWriter(bos)) {
            l.saveState(w);
        }
        return bos.toByteArray();
    }

    private static final ContinualProtocol.Options OPTIONS = new ContinualProtocol.Options(
            List.of(Mode.TASK_INCREMENTAL, Mode.CLASS_INCREMENTAL), Mode.CLASS_INCREMENTAL, 16, 3L);

    /** Keeps the newest boundary in memory; stops the run after {@code stopAfter} tasks. */
    private static final class Store implements BoundaryStore {
        ProtocolState state;
        byte[] learnerState;
        final int stopAfter;

        Store(int stopAfter) {
            this.stopAfter = stopAfter;
        }

        @Override
        public Optional<ProtocolState> restore(ContinualLearner learner) throws IOException {
            if (state == null) {
                return Optional.empty();
            }
            learner.loadState(new StateReader(new ByteArrayInputStream(learnerState)));
            return Optional.of(state);
        }

        @Override
        public void save(ProtocolState s, ContinualLearner learner) throws IOException {
            learnerState = bytes(learner);
            state = s;
            if (s.tasksDone() == stopAfter) {
                throw new IllegalStateException("stop");
            }
        }
    }

    /** Acceptance 4: interrupted after task 2 and resumed with a fresh learner equals the uninterrupted run. */
    @Test
    void resumedRunEqualsUninterrupted() throws IOException {
        FastSlowLearner a = learner(FULL);
        ContinualProtocol.Result whole = ContinualProtocol.run(STREAM, a, OPTIONS, BoundaryStore.NONE,
                ProtocolListener.NONE);
        Store store = new Store(2);
        try {
            ContinualProtocol.run(STREAM, learner(FULL), OPTIONS, store, ProtocolListener.NONE);
        } catch (IllegalStateException expected) {
            assertEquals("stop", expected.getMessage());
        }
        assertEquals(2, store.state.tasksDone());
        Store cont = new Store(-1);
        cont.state = store.state;
        cont.learnerState = store.learnerState;
        FastSlowLearner b = learner(FULL);
        ContinualProtocol.Result resumed = ContinualProtocol.run(STREAM, b, OPTIONS, cont, ProtocolListener.NONE);
        assertEquals(2, resumed.resumedAfter());
        for (String series : whole.matrices().keySet()) {
            assertTrue(whole.matrices().get(series).equals(resumed.matrices().get(series)), series);
        }
        assertEquals(TASKS + 1, whole.probe().size());
        for (int i = 0; i < whole.probe().size(); i++) {
            assertArrayEquals(whole.probe().get(i), resumed.probe().get(i), 0.0, "probe row " + i);
        }
        assertArrayEquals(bytes(a), bytes(b));
    }

    @Test
    void probingLeavesTheLearnerUnchanged() throws IOException {
        FastSlowLearner l = learner(FULL);
        l.learn(new TrainingExperience(STREAM.info().task(0), STREAM.train(0), STREAM.info()));
        byte[] before = bytes(l);
        FewShotEpisode e = STREAM.probeEpisodes().get(0);
        l.adapt(e.support(), WAYS, new org.cllab.core.api.FewShotAdapter.Adaptation(5, 0.1, 1L));
        assertArrayEquals(before, bytes(l));
    }

    private static INDArray slowAfterOneTask(FastSlowLearner.Coefficients k) {
        FastSlowLearner l = learner(k);
        l.learn(new TrainingExperience(STREAM.info().task(0), STREAM.train(0), STREAM.info()));
        return l.slowModel().network().params().dup();
    }

    private static FastSlowLearner.Coefficients with(FastSlowLearner.Variant v, double beta, double mu) {
        return new FastSlowLearner.Coefficients(v, 0.05, 3, beta, mu, 0.2, 0.0, 10.0, 0.9, 0);
    }

    /** theta_s += gamma (theta_f - theta_s) after the task: gamma 1 makes the slow weights equal to the fast ones. */
    @Test
    void slowWeightsReadTheFastOnesAfterTheTask() {
        FastSlowLearner copy = learner(new FastSlowLearner.Coefficients(FastSlowLearner.Variant.FULL, 0.05, 3, 0.5,
                0.1, 0.2, 1.0, 10.0, 0.9, 0));
        copy.learn(new TrainingExperience(STREAM.info().task(0), STREAM.train(0), STREAM.info()));
        assertTrue(copy.fastModel().network().params().sub(copy.slowModel().network().params()).amaxNumber()
                .doubleValue() < 1e-6);
        INDArray reptileOnly = slowAfterOneTask(with(FastSlowLearner.Variant.FULL, 0.5, 0.1));
        FastSlowLearner half = learner(new FastSlowLearner.Coefficients(FastSlowLearner.Variant.FULL, 0.05, 3, 0.5,
                0.1, 0.2, 0.5, 10.0, 0.9, 0));
        half.learn(new TrainingExperience(STREAM.info().task(0), STREAM.train(0), STREAM.info()));
        INDArray expected = reptileOnly.add(half.fastModel().network().params()).muli(0.5);
        assertTrue(half.slowModel().network().params().sub(expected).amaxNumber().doubleValue() < 1e-5);
    }

    /** theta_s += beta (phi - theta_s): beta 0.5 lands half-way between the start and beta 1 (= phi). */
    @Test
    void slowWeightsTakeAReptileStep() {
        INDArray start = learner(FULL).slowModel().network().params().dup();
        INDArray phi = slowAfterOneTask(with(FastSlowLearner.Variant.FULL, 1.0, 0.1));
        INDArray half = slowAfterOneTask(with(FastSlowLearner.Variant.FULL, 0.5, 0.1));
        assertTrue(phi.sub(start).norm2Number().doubleValue() > 1e-3, "the inner loop moved nothing");
        INDArray expected = start.add(phi).muli(0.5);
        assertTrue(half.sub(expected).amaxNumber().doubleValue() < 1e-5);
        assertEquals(start, slowAfterOneTask(with(FastSlowLearner.Variant.FULL, 0.0, 0.1)));
        assertEquals(start, slowAfterOneTask(with(FastSlowLearner.Variant.FAST_ONLY, 0.5, 0.1)));
    }

    /** The proximal penalty keeps phi closer to the slow weights it started from. */
    @Test
    void slowPenaltyShortensTheInnerMove() {
        INDArray start = learner(FULL).slowModel().network().params().dup();
        double free = slowAfterOneTask(with(FastSlowLearner.Variant.FULL, 1.0, 0.0)).sub(start).norm2Number()
                .doubleValue();
        double held = slowAfterOneTask(with(FastSlowLearner.Variant.FULL, 1.0, 5.0)).sub(start).norm2Number()
                .doubleValue();
        assertTrue(held < free, held + " >= " + free);
    }

    /** Slow-only never trains the fast weights; fast-only and full answer with trained fast weights. */
    @Test
    void variantsTrainOnlyTheirWeights() {
        FastSlowLearner slowOnly = learner(with(FastSlowLearner.Variant.SLOW_ONLY, 0.5, 0.1));
        INDArray f0 = slowOnly.fastModel().network().params().dup();
        slowOnly.learn(new TrainingExperience(STREAM.info().task(0), STREAM.train(0), STREAM.info()));
        assertEquals(f0, slowOnly.fastModel().network().params());
        FastSlowLearner full = learner(FULL);
        full.learn(new TrainingExperience(STREAM.info().task(0), STREAM.train(0), STREAM.info()));
        assertFalse(f0.equals(full.fastModel().network().params()));
    }
}
