package org.cllab.core.learners;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.api.TrainingListener;
import org.cllab.core.loop.Budget;
import org.cllab.core.loop.InnerOuterStep;
import org.cllab.core.loop.TaskLoop;
import org.cllab.core.loop.TaskScope;
import org.cllab.core.nn.Activation;
import org.cllab.core.nn.ParamSet;
import org.cllab.core.rng.Rng;
import org.cllab.core.testing.SyntheticScenario;
import org.junit.jupiter.api.Test;

/** The meta-learning step on the task loop: without an inner loop it is the plain step; with one, first-order MAML. */
class InnerOuterStepTest {
    private static final SyntheticScenario SC = SyntheticScenario.split(2, 2, 4, 12, 2, 4);
    private static final MlpLearnerSpec SPEC = new MlpLearnerSpec(new int[] {6}, Activation.TANH,
            MlpLearnerSpec.OptimizerKind.ADAM, 0.01, 0.0, 8, 2, false);
    private static final LearnerContext CTX = new LearnerContext(SC.info(), Mode.CLASS_INCREMENTAL, 9,
            TrainingListener.NONE);

    private static TaskScope scope() {
        TaskInfo task = SC.info().task(0);
        return new TaskScope(task, SC.train(0), new MinibatchSampler(List.of(task), List.of(SC.train(0))), 9);
    }

    @Test
    void withoutInnerStepsItIsThePlainStep() {
        MlpClassifier plain = new MlpClassifier(SPEC, CTX);
        MlpClassifier slow = new MlpClassifier(SPEC, CTX);
        InnerOuterStep meta = new InnerOuterStep(slow, new MlpClassifier(SPEC, CTX), 0, 0.0, 0);
        for (var step : List.of(plain, meta)) {
            TaskLoop.TaskRun run = new TaskLoop(CTX, "meta", List.of()).begin(scope(), 8, step, true);
            run.train(Budget.epochs(2));
        }
        assertArrayEquals(plain.network().params().toFloatVector(), slow.network().params().toFloatVector());
    }

    @Test
    void outerGradientIsTheQueryGradientAtTheAdaptedWeights() {
        MlpClassifier slow = new MlpClassifier(SPEC, CTX);
        slow.network().params().addi(0.1);
        MlpClassifier fast = new MlpClassifier(SPEC, CTX);
        Minibatch b = scope().sampler().epoch(12, Rng.forComponent(3, "o")).iterator().next();
        float[] before = slow.network().params().toFloatVector();
        new InnerOuterStep(slow, fast, 2, 0.05, 5).computeGradients(b, null);

        MlpClassifier manual = new MlpClassifier(SPEC, CTX);
        manual.network().params().assign(slow.network().params());
        for (int k = 0; k < 2; k++) {
            manual.computeGradients(b.head(5), null);
            ParamSet p = manual.params();
            p.values().subi(p.gradients().mul(0.05));
        }
        manual.computeGradients(b.tail(5), null);
        assertArrayEquals(manual.network().gradient().toFloatVector(), slow.network().gradient().toFloatVector());
        assertArrayEquals(before, slow.network().params().toFloatVector(), "the slow weights move only on update()");
        assertFalse(Arrays.equals(before, fast.network().params().toFloatVector()), "the fast weights adapted");
        assertThrows(IllegalArgumentException.class, () -> new InnerOuterStep(slow, fast, 1, 0.1, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new InnerOuterStep(slow, fast, 1, 0.1, 12).computeGradients(b, null));
    }
}
