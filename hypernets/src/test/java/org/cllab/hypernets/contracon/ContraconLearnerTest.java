package org.cllab.hypernets.contracon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.cllab.core.api.ClassIncrementalQuery;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;
import org.cllab.core.api.ScenarioInfo;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.api.TrainingExperience;
import org.cllab.core.api.TrainingListener;
import org.cllab.core.data.ArrayTaskData;
import org.cllab.core.data.Batches;
import org.cllab.core.data.TaskData;
import org.cllab.core.rng.Rng;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ConTraCon on a tiny synthetic image stream (3 tasks of 2 classes, 8x8 images, a bright square in a class-specific
 * place): exactly zero forgetting (every earlier task's outputs bit-identical after later tasks, the task-0 backbone
 * untouched) while later tasks do train; the finetune baseline does change earlier tasks' outputs (the check can
 * fail); a learner restored from a checkpoint continues exactly as the uninterrupted one; per-task parameters of the
 * default MNIST-scale model are under 5 % of the backbone.
 */
class ContraconLearnerTest {
    private static final int SIDE = 8;
    private static final int TASKS = 3;

    private static ScenarioInfo scenario() {
        List<TaskInfo> tasks = new ArrayList<>();
        for (int t = 0; t < TASKS; t++) {
            tasks.add(new TaskInfo(t, "t" + t, new int[] {2 * t, 2 * t + 1}));
        }
        return new ScenarioInfo("toy-images", tasks, SIDE * SIDE, new int[] {1, SIDE, SIDE}, 2 * TASKS, 2);
    }

    /** 32 images of task {@code t}: a 2x2 square at one of six places (one per class) plus noise. */
    private static TaskData data(int t, long seed) {
        int n = 32;
        float[] x = new float[n * SIDE * SIDE];
        int[] cls = new int[n];
        int[] loc = new int[n];
        Rng rng = new Rng(seed + t);
        for (int i = 0; i < n; i++) {
            int local = i % 2;
            int c = 2 * t + local;
            cls[i] = c;
            loc[i] = local;
            int r0 = 1 + (c % 3) * 2;
            int c0 = 1 + (c / 3) * 3;
            for (int k = 0; k < SIDE * SIDE; k++) {
                x[i * SIDE * SIDE + k] = (float) (0.1 * rng.nextDouble());
            }
            for (int dr = 0; dr < 2; dr++) {
                for (int dc = 0; dc < 2; dc++) {
                    x[i * SIDE * SIDE + (r0 + dr) * SIDE + c0 + dc] = 0.9f;
                }
            }
        }
        return new ArrayTaskData(x, SIDE * SIDE, cls, loc);
    }

    private static ContraconLearner learner(ContraconLearner.Variant variant) {
        return learner(variant, false);
    }

    private static ContraconLearner learner(ContraconLearner.Variant variant, boolean trainAugment) {
        CctShape shape = new CctShape(1, SIDE, SIDE, 1, 4, 8, 2, 1, 2, false, 2, 3, CctShape.Skip.GATED);
        ContraconLearner.Settings s = new ContraconLearner.Settings(variant, 2, 16, 0.003, 1e-4, true, 0.05, 0.9, 0,
                1e-5, 0.1, 0.25, 4, 1, 1, 10, 0.05, trainAugment);
        return new ContraconLearner(shape, s, new LearnerContext(scenario(), Mode.TASK_INCREMENTAL, 5,
                TrainingListener.NONE));
    }

    private static TrainingExperience experience(int t) {
        return new TrainingExperience(scenario().task(t), data(t, 100), scenario());
    }

    private static INDArray inputs(int t) {
        TaskData d = data(t, 999);
        return Batches.features(d, 0, d.size());
    }

    private static byte[] state(ContraconLearner l) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (StateWriter w = new StateWriter(bytes)) {
            l.saveState(w);
        }
        return bytes.toByteArray();
    }

    @Test
    void earlierTasksAreBitIdenticalAfterLaterTasks() throws IOException {
        ContraconLearner l = learner(ContraconLearner.Variant.CONTRACON);
        List<float[]> afterOwnTask = new ArrayList<>();
        byte[] stateAfterTask0 = null;
        for (int t = 0; t < TASKS; t++) {
            float[] before = l.taskLogits(t, inputs(t)).dup().data().asFloat();
            l.learn(experience(t));
            float[] after = l.taskLogits(t, inputs(t)).dup().data().asFloat();
            assertFalse(java.util.Arrays.equals(before, after), "task " + t + " trained");
            afterOwnTask.add(after);
            if (t == 0) {
                stateAfterTask0 = state(l);
            }
        }
        for (int t = 0; t < TASKS; t++) {
            assertArrayEquals(afterOwnTask.get(t), l.taskLogits(t, inputs(t)).dup().data().asFloat(),
                    "task " + t + " outputs after the last task");
        }
        // the task-0 model (backbone and its own parameters) is untouched: its checkpoint entries are a prefix-equal
        // subset of the final state
        StateReader first = new StateReader(new ByteArrayInputStream(stateAfterTask0));
        StateReader last = new StateReader(new ByteArrayInputStream(state(l)));
        int compared = 0;
        for (String name : first.names()) {
            if (name.startsWith("contracon/backbone/") || name.startsWith("contracon/task/0/")) {
                assertArrayEquals(first.array(name).dup().data().asFloat(), last.array(name).dup().data().asFloat(),
                        name);
                compared++;
            }
        }
        assertTrue(compared > 20, "compared " + compared + " task-0 tensors");
        int[] tasks = l.inferTask(new ClassIncrementalQuery(inputs(1)));
        assertEquals(32, tasks.length);
    }

    @Test
    void finetuneBaselineChangesEarlierTasks() {
        ContraconLearner l = learner(ContraconLearner.Variant.FINETUNE);
        l.learn(experience(0));
        float[] after0 = l.taskLogits(0, inputs(0)).dup().data().asFloat();
        l.learn(experience(1));
        assertFalse(java.util.Arrays.equals(after0, l.taskLogits(0, inputs(0)).dup().data().asFloat()));
    }

    @Test
    void resumedLearnerContinuesBitIdentically() throws IOException {
        resumes(false);
    }

    /** With train_augment the augmentation of a step depends only on the task and the step: resuming is exact too. */
    @Test
    void resumedLearnerWithTrainAugmentContinuesBitIdentically() throws IOException {
        ContraconLearner plain = learner(ContraconLearner.Variant.CONTRACON, false);
        ContraconLearner augmented = learner(ContraconLearner.Variant.CONTRACON, true);
        plain.learn(experience(0));
        augmented.learn(experience(0));
        assertFalse(java.util.Arrays.equals(state(plain), state(augmented)), "augmentation changes training");
        resumes(true);
    }

    private void resumes(boolean trainAugment) throws IOException {
        ContraconLearner a = learner(ContraconLearner.Variant.CONTRACON, trainAugment);
        a.learn(experience(0));
        a.learn(experience(1));
        byte[] checkpoint = state(a);
        a.learn(experience(2));
        ContraconLearner b = learner(ContraconLearner.Variant.CONTRACON, trainAugment);
        b.loadState(new StateReader(new ByteArrayInputStream(checkpoint)));
        assertArrayEquals(checkpoint, state(b), "state round trip");
        b.learn(experience(2));
        assertArrayEquals(state(a), state(b), "resumed == uninterrupted");
        ClassIncrementalQuery q = new ClassIncrementalQuery(inputs(2));
        assertArrayEquals(a.predict(q), b.predict(q));
    }

    @Test
    void perTaskParametersAreUnderFivePercentOfTheBackboneAtMnistScale() {
        List<TaskInfo> tasks = new ArrayList<>();
        for (int t = 0; t < 5; t++) {
            tasks.add(new TaskInfo(t, "t" + t, new int[] {2 * t, 2 * t + 1}));
        }
        ScenarioInfo mnist = new ScenarioInfo("split-mnist", tasks, 784, new int[] {1, 28, 28}, 10, 2);
        CctShape shape = new CctShape(1, 28, 28, 2, 16, 64, 4, 2, 2, false, 2, 3, CctShape.Skip.GATED);
        ContraconLearner.Settings s = new ContraconLearner.Settings(ContraconLearner.Variant.CONTRACON, 1, 64, 8e-4,
                6e-7, true, 5e-3, 0.9, 0, 1e-5, 0.1, 0.1, 16, 6, 2, 10, 0.1, false);
        ContraconLearner l = new ContraconLearner(shape, s, new LearnerContext(mnist, Mode.TASK_INCREMENTAL, 1,
                TrainingListener.NONE));
        for (int t = 1; t < 5; t++) {
            double share = (double) l.taskParams(t) / l.sharedParams();
            assertTrue(share <= 0.05, "task " + t + ": " + l.taskParams(t) + " of " + l.sharedParams());
        }
    }
}
