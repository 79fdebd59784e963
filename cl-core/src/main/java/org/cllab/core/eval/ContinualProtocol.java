package org.cllab.core.eval;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cllab.core.api.ContinualLearner;
import org.cllab.core.api.CumulativeExperience;
import org.cllab.core.api.FewShotAdapter;
import org.cllab.core.api.FewShotProbeSource;
import org.cllab.core.api.Mode;
import org.cllab.core.api.Scenario;
import org.cllab.core.api.ScenarioInfo;
import org.cllab.core.api.StreamingLearner;
import org.cllab.core.api.TaskAwareLearner;
import org.cllab.core.api.TaskInferrer;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.api.TrainingExperience;
import org.cllab.core.api.UpperBoundLearner;
import org.cllab.core.data.TaskData;
import org.cllab.core.metrics.AccuracyMatrix;

/**
 * The continual-learning loop. For a scenario of T tasks it evaluates the untrained learner (row 0), then for
 * each task trains the learner through the view its type allows, evaluates every requested mode on every task's
 * test data (row t), scores the few-shot probe when the scenario has one and the learner is a {@link FewShotAdapter}
 * (series {@link FewShotProbe#SERIES}), and saves a boundary. A run whose store already holds boundaries continues
 * after the last.
 */
public final class ContinualProtocol {
    /** Series key of task-identification accuracy (learners that are {@link TaskInferrer}s). */
    public static final String TASK_IDENTIFICATION = "task-identification";

    /**
     * @param evaluationModes modes to evaluate after every task
     * @param trainingMode    the label space of a boundary-free stream (class labels or local labels)
     * @param evalBatchSize   test batch size
     * @param streamSeed      order of the boundary-free sample stream
     */
    public record Options(List<Mode> evaluationModes, Mode trainingMode, int evalBatchSize, long streamSeed) {
        public Options {
            evaluationModes = List.copyOf(evaluationModes);
            if (evaluationModes.isEmpty()) {
                throw new IllegalArgumentException("at least one evaluation mode is needed");
            }
        }
    }

    /**
     * Final accuracy matrices per series, per-task wall times, and the few-shot probe's rows (row i = per-episode
     * query accuracies after i tasks; empty when the scenario has no probe or the learner is no
     * {@link FewShotAdapter}).
     */
    public record Result(Map<String, AccuracyMatrix> matrices, List<Double> taskSeconds, int resumedAfter,
                         List<double[]> probe) {
        public Result {
            probe = List.copyOf(probe);
        }

        public Result(Map<String, AccuracyMatrix> matrices, List<Double> taskSeconds, int resumedAfter) {
            this(matrices, taskSeconds, resumedAfter, List.of());
        }
    }

    private ContinualProtocol() {
    }

    public static Result run(Scenario scenario, ContinualLearner learner, Options options, BoundaryStore store,
                             ProtocolListener listener) throws IOException {
        for (Mode m : options.evaluationModes()) {
            if (!Evaluator.supports(learner, m)) {
                throw new IllegalArgumentException(learner.getClass().getSimpleName() + " cannot be evaluated in "
                        + m + " (supports " + learner.evaluationModes() + ")");
            }
        }
        ScenarioInfo info = scenario.info();
        Optional<ProtocolState> restored = store.restore(learner);
        ProtocolState state;
        int resumedAfter = restored.map(ProtocolState::tasksDone).orElse(-1);
        if (restored.isPresent()) {
            state = restored.get();
            listener.onResume(state.tasksDone());
        } else {
            Map<String, List<double[]>> rows = new LinkedHashMap<>();
            evaluate(scenario, learner, options).forEach((k, v) -> rows.put(k, List.of(v)));
            state = new ProtocolState(0, rows, List.of());
            store.save(state, learner);
        }
        for (int t = state.tasksDone(); t < info.numTasks(); t++) {
            TaskInfo task = info.task(t);
            listener.onTaskStart(task);
            long start = System.nanoTime();
            train(scenario, learner, t, options);
            double seconds = (System.nanoTime() - start) / 1e9;
            state = state.next(evaluate(scenario, learner, options), seconds);
            store.save(state, learner);
            listener.onBoundary(state);
        }
        Map<String, AccuracyMatrix> matrices = new LinkedHashMap<>();
        state.rows().forEach((k, v) -> {
            if (!k.equals(FewShotProbe.SERIES)) {
                matrices.put(k, AccuracyMatrix.ofRows(v.toArray(new double[0][])));
            }
        });
        return new Result(matrices, state.taskSeconds(), resumedAfter,
                state.rows().getOrDefault(FewShotProbe.SERIES, List.of()));
    }

    private static void train(Scenario scenario, ContinualLearner learner, int t, Options options) {
        ScenarioInfo info = scenario.info();
        TrainingExperience exp = new TrainingExperience(info.task(t), scenario.train(t), info, scenario.sources(t));
        if (learner instanceof TaskAwareLearner l) {
            l.learn(exp);
        } else if (learner instanceof UpperBoundLearner l) {
            List<TaskData> seen = new ArrayList<>();
            for (int j = 0; j <= t; j++) {
                seen.add(scenario.train(j));
            }
            l.learn(new CumulativeExperience(exp, seen, info.tasks().subList(0, t + 1)));
        } else if (learner instanceof StreamingLearner l) {
            stream(scenario, t, l, options);
        } else {
            throw new IllegalArgumentException("learner " + learner.getClass().getName()
                    + " implements none of TaskAwareLearner, UpperBoundLearner, StreamingLearner");
        }
    }

    /**
     * Feeds task {@code t}'s samples as minibatches of exactly {@link StreamingLearner#streamBatchSize()}; the learner
     * never sees the boundary. Samples left over at the end of a task (fewer than a batch) are carried into the
     * first batch of the next task, so only the very last batch of the whole stream may be shorter: a short batch
     * would otherwise reveal where a task ends. The carried remainder is a pure function of the stream seed and the
     * task sizes ({@link SampleStream}), so a run resumed at a boundary feeds exactly the same batches.
     */
    private static void stream(Scenario scenario, int t, StreamingLearner learner, Options options) {
        int bs = learner.streamBatchSize();
        if (bs <= 0) {
            throw new IllegalArgumentException("stream batch size must be positive, got " + bs);
        }
        SampleStream s = new SampleStream(scenario, options.streamSeed(), bs);
        for (SampleStream.Ref[] batch : s.batchesOfTask(t)) {
            learner.observe(s.materialise(batch, options.trainingMode()));
        }
    }

    private static Map<String, double[]> evaluate(Scenario scenario, ContinualLearner learner, Options options) {
        ScenarioInfo info = scenario.info();
        Map<String, double[]> row = new LinkedHashMap<>();
        for (Mode m : options.evaluationModes()) {
            double[] acc = new double[info.numTasks()];
            for (int j = 0; j < acc.length; j++) {
                acc[j] = Evaluator.accuracy(learner, m, info.task(j), scenario.test(j), options.evalBatchSize());
            }
            row.put(m.key(), acc);
        }
        if (learner instanceof TaskInferrer inf) {
            double[] acc = new double[info.numTasks()];
            for (int j = 0; j < acc.length; j++) {
                acc[j] = Evaluator.taskIdentification(inf, info.task(j), scenario.test(j), options.evalBatchSize());
            }
            row.put(TASK_IDENTIFICATION, acc);
        }
        if (scenario instanceof FewShotProbeSource src && learner instanceof FewShotAdapter a) {
            row.put(FewShotProbe.SERIES, FewShotProbe.score(a, src, options.evalBatchSize()));
        }
        return row;
    }
}
