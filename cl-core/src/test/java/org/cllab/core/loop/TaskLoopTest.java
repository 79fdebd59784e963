package org.cllab.core.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.api.TrainingListener;
import org.cllab.core.learners.Minibatch;
import org.cllab.core.learners.MinibatchSampler;
import org.cllab.core.learners.MlpClassifier;
import org.cllab.core.learners.MlpLearnerSpec;
import org.cllab.core.nn.Activation;
import org.cllab.core.nn.ParamSet;
import org.cllab.core.testing.SyntheticScenario;
import org.junit.jupiter.api.Test;

/** The loop's contract: phase order, budgets, listener calls, the guard before the update, hook names. */
class TaskLoopTest {
    private static final SyntheticScenario SC = SyntheticScenario.split(2, 2, 4, 10, 2, 3);
    private static final MlpLearnerSpec SPEC = new MlpLearnerSpec(new int[] {5}, Activation.RELU,
            MlpLearnerSpec.OptimizerKind.ADAM, 0.01, 0.0, 8, 2, false);

    private static final class Recorder implements TrainingHook, TrainingListener {
        final List<String> log;
        final String name;

        Recorder(String name, List<String> log) {
            this.name = name;
            this.log = log;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void beforeTask(TaskScope task) {
            log.add(name + ":before");
        }

        @Override
        public Minibatch transform(Minibatch batch) {
            log.add(name + ":transform");
            return batch;
        }

        @Override
        public OutputTerm outputTerm() {
            log.add(name + ":output");
            return (b, logits, d) -> {
                log.add(name + ":output-term");
                return 0.0;
            };
        }

        @Override
        public double afterBackward(ParamSet params) {
            log.add(name + ":backward");
            return 1.0;
        }

        @Override
        public void afterUpdate(ParamSet params) {
            log.add(name + ":update");
        }

        @Override
        public void afterTask(TaskScope task) {
            log.add(name + ":after");
        }
    }

    private static LearnerContext context(TrainingListener l) {
        return new LearnerContext(SC.info(), Mode.CLASS_INCREMENTAL, 11, l);
    }

    private static TaskScope scope(int t) {
        TaskInfo task = SC.info().task(t);
        return new TaskScope(task, SC.train(t), new MinibatchSampler(List.of(task), List.of(SC.train(t))), 11);
    }

    @Test
    void hooksRunInFixedPhaseOrderAndListOrder() {
        List<String> log = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onTaskStart(TaskInfo task, long totalSteps) {
                log.add("start:" + totalSteps);
            }

            @Override
            public void onStep(TaskInfo task, long step, double loss) {
                log.add("step:" + step);
            }

            @Override
            public void onTaskEnd(TaskInfo task) {
                log.add("end");
            }
        };
        LearnerContext ctx = context(listener);
        MlpClassifier model = new MlpClassifier(SPEC, ctx);
        TaskLoop loop = new TaskLoop(ctx, "test", List.of(new Recorder("a", log), new Recorder("b", log)));
        TaskLoop.TaskRun run = loop.begin(scope(0), 20, model, true);
        run.train(Budget.iterations(1));
        run.finish();
        assertEquals(List.of("a:before", "b:before", "start:1", "a:transform", "b:transform", "a:output", "b:output",
                "a:output-term", "b:output-term", "a:backward", "b:backward", "a:update", "b:update", "step:1", "end",
                "a:after", "b:after"), log);
    }

    @Test
    void epochBudgetEqualsTheSameNumberOfIterations() {
        float[][] finals = new float[2][];
        for (int k = 0; k < 2; k++) {
            LearnerContext ctx = context(TrainingListener.NONE);
            MlpClassifier model = new MlpClassifier(SPEC, ctx);
            TaskLoop.TaskRun run = new TaskLoop(ctx, "test", List.of()).begin(scope(1), 8, model, true);
            // 20 samples in batches of 8: 3 batches per epoch
            run.train(k == 0 ? Budget.epochs(2) : Budget.iterations(6));
            finals[k] = model.network().params().toFloatVector();
        }
        assertArrayEquals(finals[0], finals[1]);
        assertEquals(6, Budget.epochs(2).steps(scope(1).sampler(), 8));
        assertThrows(IllegalArgumentException.class, () -> new Budget(1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Budget(0, 0));
    }

    @Test
    void guardRunsBeforeTheUpdateAndSeesPenalties() {
        LearnerContext ctx = context(TrainingListener.NONE);
        MlpClassifier model = new MlpClassifier(SPEC, ctx);
        TaskLoop loop = new TaskLoop(ctx, "test", List.of(new Recorder("a", new ArrayList<>())));
        float[] before = model.network().params().toFloatVector();
        double[] seen = new double[1];
        loop.setGuard((task, step, loss) -> {
            seen[0] = loss;
            throw new IllegalStateException("stop at step " + step);
        });
        double[] dataLoss = new double[1];
        TrainingStep recording = new TrainingStep() {
            @Override
            public ParamSet params() {
                return model.params();
            }

            @Override
            public double computeGradients(Minibatch batch, OutputTerm outputTerm) {
                dataLoss[0] = model.computeGradients(batch, outputTerm);
                return dataLoss[0];
            }

            @Override
            public void update() {
                model.update();
            }

            @Override
            public void resetOptimizer() {
                model.resetOptimizer();
            }
        };
        TaskLoop.TaskRun run = loop.begin(scope(0), 8, recording, false);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> run.train(Budget.epochs(1)));
        assertEquals("stop at step 1", e.getMessage());
        assertArrayEquals(before, model.network().params().toFloatVector(), "no update after the guard threw");
        assertEquals(dataLoss[0] + 1.0, seen[0], 0.0, "the guard sees the data loss plus the hook's penalty (1)");
    }

    @Test
    void hookNamesMustBeUnique() {
        List<String> log = new ArrayList<>();
        assertThrows(IllegalArgumentException.class, () -> new TaskLoop(context(TrainingListener.NONE), "test",
                List.of(new Recorder("x", log), new Recorder("x", log))));
    }

    @Test
    void streamStepsAreReportedWithoutATask() {
        List<Long> steps = new ArrayList<>();
        TaskLoop loop = new TaskLoop(context(new TrainingListener() {
            @Override
            public void onStreamStep(long step, double loss) {
                steps.add(step);
            }
        }), "test", List.of());
        double[] next = {0};
        assertEquals(3.0, loop.stream(3, () -> ++next[0]));
        loop.stream(2, () -> 0.0);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), steps);
    }
}
