package org.cllab.core.eval;

import org.cllab.core.api.ClassIncrementalPredictor;
import org.cllab.core.api.ClassIncrementalQuery;
import org.cllab.core.api.ContinualLearner;
import org.cllab.core.api.DomainIncrementalPredictor;
import org.cllab.core.api.DomainIncrementalQuery;
import org.cllab.core.api.Mode;
import org.cllab.core.api.TaskIncrementalPredictor;
import org.cllab.core.api.TaskIncrementalQuery;
import org.cllab.core.api.TaskInferrer;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.data.Batches;
import org.cllab.core.data.TaskData;
import org.cllab.core.nn.StepScope;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Test accuracy of a learner on one task's test data in one mode, through the mode's typed query. */
public final class Evaluator {
    private Evaluator() {
    }

    /** Whether {@code learner} implements the predictor interface of {@code mode}. */
    public static boolean supports(ContinualLearner learner, Mode mode) {
        return switch (mode) {
            case CLASS_INCREMENTAL -> learner instanceof ClassIncrementalPredictor;
            case TASK_INCREMENTAL -> learner instanceof TaskIncrementalPredictor;
            case DOMAIN_INCREMENTAL -> learner instanceof DomainIncrementalPredictor;
        } && learner.evaluationModes().contains(mode);
    }

    /** Fraction of correctly predicted test samples of {@code task} in {@code mode}. */
    public static double accuracy(ContinualLearner learner, Mode mode, TaskInfo task, TaskData test, int batchSize) {
        if (!supports(learner, mode)) {
            throw new IllegalStateException(learner.getClass().getSimpleName() + " cannot be evaluated in " + mode);
        }
        long correct = 0;
        for (int from = 0; from < test.size(); from += batchSize) {
            int to = Math.min(test.size(), from + batchSize);
            int[] pred;
            try (StepScope scope = StepScope.open("eval")) {
                INDArray x = Batches.features(test, from, to);
                pred = switch (mode) {
                    case CLASS_INCREMENTAL -> ((ClassIncrementalPredictor) learner).predict(new ClassIncrementalQuery(x));
                    case TASK_INCREMENTAL -> ((TaskIncrementalPredictor) learner).predict(new TaskIncrementalQuery(x, task));
                    case DOMAIN_INCREMENTAL -> ((DomainIncrementalPredictor) learner).predict(new DomainIncrementalQuery(x));
                };
            }
            for (int i = from; i < to; i++) {
                int truth = mode == Mode.CLASS_INCREMENTAL ? test.classLabel(i) : test.localLabel(i);
                if (pred[i - from] == truth) {
                    correct++;
                }
            }
        }
        return test.size() == 0 ? 0.0 : (double) correct / test.size();
    }

    /** Fraction of test samples of {@code task} whose task a {@link TaskInferrer} identifies correctly. */
    public static double taskIdentification(TaskInferrer inferrer, TaskInfo task, TaskData test, int batchSize) {
        long correct = 0;
        for (int from = 0; from < test.size(); from += batchSize) {
            int to = Math.min(test.size(), from + batchSize);
            int[] t;
            try (StepScope scope = StepScope.open("eval")) {
                t = inferrer.inferTask(new ClassIncrementalQuery(Batches.features(test, from, to)));
            }
            for (int v : t) {
                if (v == task.index()) {
                    correct++;
                }
            }
        }
        return test.size() == 0 ? 0.0 : (double) correct / test.size();
    }
}
