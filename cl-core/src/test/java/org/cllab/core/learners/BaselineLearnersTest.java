package org.cllab.core.learners;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cllab.core.api.ContinualLearner;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.api.TrainingListener;
import org.cllab.core.eval.BoundaryStore;
import org.cllab.core.eval.ContinualProtocol;
import org.cllab.core.eval.Evaluator;
import org.cllab.core.eval.ProtocolListener;
import org.cllab.core.eval.ProtocolState;
import org.cllab.core.metrics.AccuracyMatrix;
import org.cllab.core.nn.Activation;
import org.cllab.core.parts.EwcPenalty;
import org.cllab.core.parts.ReplayBuffer;
import org.cllab.core.rng.Rng;
import org.cllab.core.state.StateReader;
import org.cllab.core.testing.MemoryBoundaryStore;
import org.cllab.core.testing.SyntheticScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The regularisation, replay and distillation baselines end to end on {@code SyntheticScenario.split(3, 2, 20, 100,
 * 50, seed)}, and exact checkpoint/resume for every one of them.
 *
 * <p><b>Forgetting in task-incremental mode.</b> On this synthetic stream a multi-head Finetune does not forget
 * measurably in accuracy: with hidden [32] and Adam, over scenario seeds 1..6 and (lr, epochs) in {(0.01, 5),
 * (0.03, 10), (0.1, 10), (0.1, 20), (0.3, 10), (0.3, 20), (0.5, 10), (1.0, 5), (1.0, 10)} (ReLU, and four of them
 * with tanh), the final accuracy on task 0 stayed at 1.00 for most seeds and dropped by more than 0.1 only for an
 * occasional seed at very large learning rates, never consistently. The clusters are too far apart for the two-way
 * heads to lose them. So the task-incremental tests measure forgetting in parameter space instead: the drift
 * {@code sum_i F_i (theta_end,i - theta_0,i)^2}, with {@code theta_0} the parameters after task 0 and {@code F} the
 * diagonal Fisher of task 0 at {@code theta_0} (the quadratic approximation of the increase of task 0's loss).
 *
 * <p>The learning rate for these tests is small (Adam, 0.001, 5 epochs): with the larger rates above the model
 * becomes so confident on the separable clusters that the task-0 Fisher vanishes (sum ~1e-13 to 1e-34 at lr 0.03),
 * EWC's penalty is numerically zero and EWC follows Finetune exactly. At lr 0.001 the Fisher sums to 9..17 and
 * every task is still learned (accuracy 1.00).
 */
class BaselineLearnersTest {
    private static final long[] SCENARIO_SEEDS = {1, 2, 3};
    /** Task-incremental regularisation tests (see the class comment for the choice). */
    private static final MlpLearnerSpec TIL_SPEC = new MlpLearnerSpec(new int[] {32}, Activation.RELU,
            MlpLearnerSpec.OptimizerKind.ADAM, 0.001, 0.0, 32, 5, false);
    /** Class-incremental tests: the FinetuneJointTest setting, under which class-incremental Finetune forgets. */
    private static final MlpLearnerSpec CIL_SPEC = new MlpLearnerSpec(new int[] {32}, Activation.RELU,
            MlpLearnerSpec.OptimizerKind.ADAM, 0.03, 0.0, 32, 10, false);
    private static final double EWC_LAMBDA = 1e4;
    private static final double SI_C = 10;
    private static final double SI_XI = 1e-3;
    private static final int BUFFER = 60;

    private static SyntheticScenario scenario(long seed) {
        return SyntheticScenario.split(3, 2, 20, 100, 50, seed);
    }

    private static LearnerContext context(SyntheticScenario sc, Mode mode, long seed) {
        return new LearnerContext(sc.info(), mode, seed, TrainingListener.NONE);
    }

    private static ContinualProtocol.Options options(Mode mode) {
        List<Mode> modes = mode == Mode.CLASS_INCREMENTAL ? List.of(Mode.CLASS_INCREMENTAL, Mode.TASK_INCREMENTAL)
                : List.of(mode);
        return new ContinualProtocol.Options(modes, mode, 64, 3L);
    }

    private static float[] params(AbstractMlpLearner l) {
        return l.classifier().network().params().dup().data().asFloat();
    }

    /** Protocol result plus the parameters (and optionally the task-0 Fisher) at the boundary after task 0. */
    private record Run(AccuracyMatrix matrix, float[] afterTask0, float[] fisher0, float[] end) {
    }

    private static Run run(SyntheticScenario sc, AbstractMlpLearner learner, Mode mode, boolean fisher)
            throws IOException {
        float[][] snapshot = new float[2][];
        ProtocolListener atTask0 = new ProtocolListener() {
            @Override
            public void onBoundary(ProtocolState state) {
                if (state.tasksDone() == 1) {
                    snapshot[0] = params(learner);
                    if (fisher) {
                        MinibatchSampler task0 = new MinibatchSampler(List.of(sc.info().task(0)), List.of(sc.train(0)));
                        snapshot[1] = learner.classifier().diagonalFisher(task0, 0,
                                MlpClassifier.FisherLabels.SAMPLED, new Rng(99)).dup().data().asFloat();
                    }
                }
            }
        };
        ContinualProtocol.Result r = ContinualProtocol.run(sc, (ContinualLearner) learner, options(mode),
                BoundaryStore.NONE, atTask0);
        return new Run(r.matrices().get(mode.key()), snapshot[0], snapshot[1], params(learner));
    }

    /** {@code sum_i F_i (end_i - start_i)^2} in double precision. */
    private static double drift(float[] fisher, float[] start, float[] end) {
        double d = 0;
        for (int i = 0; i < fisher.length; i++) {
            double e = (double) end[i] - start[i];
            d += fisher[i] * e * e;
        }
        return d;
    }

    private static FinetuneLearner ewc(SyntheticScenario sc, EwcPenalty.Kind kind, Mode mode, long seed) {
        return new FinetuneLearner(TIL_SPEC, context(sc, mode, seed), List.of(new EwcHook.Settings(kind, EWC_LAMBDA,
                0.9, 0, MlpClassifier.FisherLabels.SAMPLED)));
    }

    private static FinetuneLearner si(SyntheticScenario sc, Mode mode, long seed) {
        return new FinetuneLearner(TIL_SPEC, context(sc, mode, seed), List.of(new SiHook.Settings(SI_C, SI_XI)));
    }

    private static FinetuneLearner er(MlpLearnerSpec spec, boolean balanced, LearnerContext ctx) {
        return new FinetuneLearner(spec, ctx, List.of(new ReplayHook.Settings(BUFFER, 0, balanced)));
    }

    private static FinetuneLearner lwf(LearnerContext ctx) {
        return new FinetuneLearner(CIL_SPEC, ctx, List.of(new LwfHook.Settings(2.0, 1.0)));
    }

    private static ReplayBuffer buffer(AbstractMlpLearner l) {
        return ((ReplayHook) l.hook("replay")).buffer();
    }

    /**
     * Observed over scenario seeds 1..4: EWC drift / Finetune drift = 0.016, 0.005, 0.045, 0.005 (online EWC nearly
     * the same), SI (c = 10, xi = 1e-3) / Finetune = 0.09, 0.05, 0.08, 0.02. Thresholds 0.1 and 0.25 leave a factor
     * of 2-3 margin; a learner whose penalty had no effect would give a ratio of exactly 1 (the trajectories
     * coincide), and SI with c = 0.1 (too weak to matter) gives 0.9.
     */
    @Test
    void ewcAndSiDriftMuchLessThanFinetuneOnTaskZerosFisher() throws IOException {
        Mode til = Mode.TASK_INCREMENTAL;
        for (long seed : SCENARIO_SEEDS) {
            SyntheticScenario sc = scenario(seed);
            Run ft = run(sc, new FinetuneLearner(TIL_SPEC, context(sc, til, seed)), til, true);
            double fisherSum = 0;
            for (float f : ft.fisher0()) {
                fisherSum += f;
            }
            assertTrue(fisherSum > 1, "seed " + seed + ": task-0 Fisher sums to " + fisherSum + " (vanished?)");
            double ftDrift = drift(ft.fisher0(), ft.afterTask0(), ft.end());
            assertTrue(ftDrift > 1e-4, "seed " + seed + ": Finetune drift " + ftDrift);

            for (EwcPenalty.Kind kind : EwcPenalty.Kind.values()) {
                Run e = run(sc, ewc(sc, kind, til, seed), til, false);
                // no penalty during task 0: the same seed gives the very same parameters after it
                assertArrayEquals(ft.afterTask0(), e.afterTask0(), 0f, "seed " + seed + " " + kind);
                double d = drift(ft.fisher0(), e.afterTask0(), e.end());
                assertTrue(d < 0.1 * ftDrift, "seed " + seed + " " + kind + ": drift " + d + " vs Finetune " + ftDrift);
                // and EWC still learns every new task
                for (int k = 0; k < 3; k++) {
                    assertTrue(e.matrix().get(3, k) > 0.9, "seed " + seed + " " + kind + "\n" + e.matrix());
                }
            }

            Run s = run(sc, si(sc, til, seed), til, false);
            assertArrayEquals(ft.afterTask0(), s.afterTask0(), 0f, "seed " + seed + " SI");
            double d = drift(ft.fisher0(), s.afterTask0(), s.end());
            assertTrue(d < 0.25 * ftDrift, "seed " + seed + " SI: drift " + d + " vs Finetune " + ftDrift);
            for (int k = 0; k < 3; k++) {
                assertTrue(s.matrix().get(3, k) > 0.9, "seed " + seed + " SI\n" + s.matrix());
            }
        }
    }

    /**
     * Class-incremental, FinetuneJointTest's setting: Finetune's final accuracy on task 0 was 0.00 for scenario seeds
     * 1..4 (and <= 0.01 for 20 learner seeds in FinetuneJointTest): the single head predicts only the last task's
     * classes. Chance over the 6 classes is 0.17, so < 0.2 only says "no better than chance". Experience replay with 60
     * stored samples (~30 per old task after task 1, ~20 after task 2, on clusters that are linearly separable) kept
     * 1.00 on task 0 for all four seeds, with or without class balancing; > 0.5 is three times chance.
     */
    @Test
    void replayKeepsOldTasksInClassIncrementalModeWhereFinetuneForgets() throws IOException {
        Mode cil = Mode.CLASS_INCREMENTAL;
        for (long seed : SCENARIO_SEEDS) {
            SyntheticScenario sc = scenario(seed);
            Run ft = run(sc, new FinetuneLearner(CIL_SPEC, context(sc, cil, seed)), cil, false);
            assertTrue(ft.matrix().get(1, 0) > 0.9, "seed " + seed + "\n" + ft.matrix());
            assertTrue(ft.matrix().get(3, 0) < 0.2, "seed " + seed + " Finetune\n" + ft.matrix());
            for (boolean balanced : new boolean[] {false, true}) {
                FinetuneLearner er = er(CIL_SPEC, balanced, context(sc, cil, seed));
                Run r = run(sc, er, cil, false);
                String what = "seed " + seed + (balanced ? " class-balanced" : " reservoir") + " ER\n" + r.matrix();
                assertTrue(r.matrix().get(3, 0) > 0.5, what);
                assertTrue(r.matrix().get(3, 1) > 0.5, what);
                assertTrue(r.matrix().get(3, 2) > 0.9, what);
                // the buffer is full and holds samples of all three tasks
                assertEquals(BUFFER, buffer(er).size());
                assertEquals(600, buffer(er).seen());
                boolean[] classes = new boolean[6];
                for (int i = 0; i < BUFFER; i++) {
                    classes[buffer(er).classLabelAt(i)] = true;
                }
                for (int c = 0; c < 6; c++) {
                    assertTrue(classes[c], what + ": no sample of class " + c + " in the buffer");
                }
            }
        }
    }

    /**
     * LwF in each training mode. Task 0 has no distillation, so it is learned as by Finetune (same seed: identical
     * parameters after task 0) and afterwards the distillation must change the trajectory. In task- and
     * class-incremental mode every task is learned when trained (> 0.9). In domain-incremental mode the shared head's
     * distillation target (the old model's output on the new task's data) contradicts the new labels, and with
     * alpha = 1, T = 2 it keeps the new task at 0.62 / 0.76 (scenario seed 1): a stability-plasticity trade-off, not a
     * failure, so there only the first task is required to be learned.
     */
    @ParameterizedTest
    @ValueSource(strings = {"TASK_INCREMENTAL", "CLASS_INCREMENTAL", "DOMAIN_INCREMENTAL"})
    void lwfRunsInEveryModeAndItsStateRoundTrips(String modeName) throws IOException {
        Mode mode = Mode.valueOf(modeName);
        SyntheticScenario sc = scenario(1);
        FinetuneLearner lwf = lwf(context(sc, mode, 1));
        Run r = run(sc, lwf, mode, false);
        Run ft = run(sc, new FinetuneLearner(CIL_SPEC, context(sc, mode, 1)), mode, false);
        AccuracyMatrix m = r.matrix();
        assertArrayEquals(ft.afterTask0(), r.afterTask0(), 0f, mode + ": task 0 is plain training");
        assertFalse(Arrays.equals(ft.end(), r.end()), mode + ": the distillation had no effect");
        assertTrue(m.get(1, 0) > 0.9, mode + "\n" + m);
        if (mode != Mode.DOMAIN_INCREMENTAL) {
            for (int k = 1; k < 3; k++) {
                assertTrue(m.get(k + 1, k) > 0.9, mode + " R[" + (k + 1) + "][" + k + "]\n" + m);
            }
        }
        for (double[] row : m.toArray()) {
            for (double a : row) {
                assertTrue(a >= 0 && a <= 1 && !Double.isNaN(a), mode + "\n" + m);
            }
        }
        byte[] state = MemoryBoundaryStore.bytes(lwf);
        FinetuneLearner copy = lwf(context(sc, mode, 1));
        copy.loadState(new StateReader(new ByteArrayInputStream(state)));
        assertBitIdentical(params(lwf), params(copy), mode.toString());
        // the copy answers like the original on every task
        for (int t = 0; t < 3; t++) {
            assertEquals(Evaluator.accuracy(lwf, mode, sc.info().task(t), sc.test(t), 64),
                    Evaluator.accuracy(copy, mode, sc.info().task(t), sc.test(t), 64));
        }
        assertArrayEquals(state, MemoryBoundaryStore.bytes(copy), "saving the loaded learner gives the same bytes");
    }

    private static void assertBitIdentical(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]),
                    what + ": parameter " + i + " " + want[i] + " vs " + got[i]);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // checkpoint / resume

    /** Throws after the boundary of task 1 has been saved; records which tasks were started. */
    private static final class CrashAfterFirstTask implements ProtocolListener {
        final List<Integer> started = new ArrayList<>();

        @Override
        public void onTaskStart(TaskInfo task) {
            started.add(task.index());
        }

        @Override
        public void onBoundary(ProtocolState state) {
            if (state.tasksDone() == 1) {
                throw new IllegalStateException("simulated crash after task 1");
            }
        }
    }

    private static final long RESUME_SCENARIO_SEED = 7;
    private static final long RESUME_LEARNER_SEED = 13;

    private static Mode resumeMode(String kind) {
        return switch (kind) {
            case "ewc", "online-ewc", "si", "lwf-til" -> Mode.TASK_INCREMENTAL;
            default -> Mode.CLASS_INCREMENTAL;
        };
    }

    private static AbstractMlpLearner build(String kind, SyntheticScenario sc) {
        LearnerContext ctx = context(sc, resumeMode(kind), RESUME_LEARNER_SEED);
        return switch (kind) {
            case "ewc" -> ewc(sc, EwcPenalty.Kind.EWC, ctx.trainingMode(), RESUME_LEARNER_SEED);
            case "online-ewc" -> ewc(sc, EwcPenalty.Kind.ONLINE, ctx.trainingMode(), RESUME_LEARNER_SEED);
            case "si" -> si(sc, ctx.trainingMode(), RESUME_LEARNER_SEED);
            case "er" -> er(CIL_SPEC, false, ctx);
            case "er-balanced" -> er(CIL_SPEC, true, ctx);
            case "lwf", "lwf-til" -> lwf(ctx);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /**
     * A run interrupted after task 1 and resumed by a fresh learner from the saved boundary ends bit-identical to an
     * uninterrupted run: parameters, Adam moments, EWC sums, SI importance/anchor/path integral, the replay buffer
     * with its RNG (and per-class counts) must all be in the checkpoint. The EWC/SI settings are those under which
     * the penalty is strong (see the class comment), so a lost penalty would change the trajectory.
     */
    @ParameterizedTest
    @ValueSource(strings = {"ewc", "online-ewc", "si", "er", "er-balanced", "lwf", "lwf-til"})
    void interruptedAfterTaskOneAndResumedEqualsUninterrupted(String kind) throws IOException {
        SyntheticScenario sc = scenario(RESUME_SCENARIO_SEED);
        ContinualProtocol.Options opts = options(resumeMode(kind));

        AbstractMlpLearner reference = build(kind, sc);
        ContinualProtocol.Result expected = ContinualProtocol.run(sc, (ContinualLearner) reference, opts,
                BoundaryStore.NONE, ProtocolListener.NONE);

        MemoryBoundaryStore store = new MemoryBoundaryStore();
        CrashAfterFirstTask crash = new CrashAfterFirstTask();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ContinualProtocol.run(sc,
                (ContinualLearner) build(kind, sc), opts, store, crash));
        assertTrue(e.getMessage().contains("simulated crash"), e.getMessage());
        assertEquals(List.of(0, 1), store.saved);
        assertEquals(List.of(0), crash.started);

        AbstractMlpLearner resumed = build(kind, sc);
        List<Integer> started = new ArrayList<>();
        ContinualProtocol.Result result = ContinualProtocol.run(sc, (ContinualLearner) resumed, opts, store,
                new ProtocolListener() {
                    @Override
                    public void onTaskStart(TaskInfo task) {
                        started.add(task.index());
                    }
                });
        assertEquals(1, result.resumedAfter());
        assertEquals(List.of(1, 2), started, "only the remaining tasks are trained");
        assertEquals(expected.matrices().keySet(), result.matrices().keySet());
        for (String series : expected.matrices().keySet()) {
            assertEquals(expected.matrices().get(series), result.matrices().get(series), kind + " " + series);
        }
        assertBitIdentical(params(reference), params(resumed), kind);
        if (kind.startsWith("er")) {
            ReplayBuffer r = buffer(reference);
            ReplayBuffer q = buffer(resumed);
            assertEquals(r.seen(), q.seen());
            for (int i = 0; i < r.size(); i++) {
                assertEquals(r.classLabelAt(i), q.classLabelAt(i), kind + " buffer slot " + i);
            }
        }
        // the whole final state (moments, penalty, buffer) agrees, not only the parameters
        assertArrayEquals(MemoryBoundaryStore.bytes((ContinualLearner) reference), MemoryBoundaryStore.bytes((ContinualLearner) resumed), kind + " state bytes");
    }
}
