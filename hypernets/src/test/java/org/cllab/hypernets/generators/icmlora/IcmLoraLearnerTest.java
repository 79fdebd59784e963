package org.cllab.hypernets.generators.icmlora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;
import org.cllab.core.api.ScenarioInfo;
import org.cllab.core.api.TaskIncrementalQuery;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.api.TrainingExperience;
import org.cllab.core.api.TrainingListener;
import org.cllab.core.data.ArrayTaskData;
import org.cllab.core.rng.Rng;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A synthetic 4-task stream (Gaussian blobs, each task a different linear map of the same inputs): the generated
 * adapters beat the base alone, and a learner resumed from a task boundary equals an uninterrupted one (state bytes
 * and answers). Slow tier: about 3 minutes on the loaded 2-core machine.
 */
@Tag("slow")
class IcmLoraLearnerTest {
    private static final int DIM = 12;
    private static final int TASKS = 4;

    private static ArrayTaskData task(int t, int n, long seed) {
        Rng rng = new Rng(seed * 31 + t);
        float[] f = new float[n * DIM];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(3);
            for (int d = 0; d < DIM; d++) {
                // class centre on axis y, then task t rotates the coordinates by t places
                double centre = d == (y[i] + t) % DIM ? 2.5 : 0;
                f[i * DIM + d] = (float) (centre + rng.nextGaussian() * 0.7);
            }
        }
        int[] cls = y.clone();
        return new ArrayTaskData(f, DIM, cls, y);
    }

    private static ScenarioInfo scenario() {
        List<TaskInfo> tasks = new ArrayList<>();
        for (int t = 0; t < TASKS; t++) {
            tasks.add(new TaskInfo(t, "t" + t, new int[] {0, 1, 2}));
        }
        return new ScenarioInfo("blobs", tasks, DIM, new int[] {1, 1, DIM}, 3, 3);
    }

    private static IcmLoraLearner learner(IcmLoraLearner.Replay replay) {
        IcmLoraLearner.Spec spec = new IcmLoraLearner.Spec(new int[] {16}, 2, 4.0, 1, 5, 0.01, 5, 0.01, 32, 4, 3,
                TaskVectors.Source.ADAPTED, 20, 4, 32, 8, 0.005, 150, 0.003, 8, replay, 4, new int[0], 0, 30,
                IcmLoraLearner.Answer.GENERATED);
        return new IcmLoraLearner(spec, new LearnerContext(scenario(), Mode.TASK_INCREMENTAL, 5,
                TrainingListener.NONE));
    }

    private static byte[] state(IcmLoraLearner l) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (StateWriter w = new StateWriter(bytes)) {
            l.saveState(w);
        }
        return bytes.toByteArray();
    }

    private static int[] predictAll(IcmLoraLearner l, ScenarioInfo s) {
        List<Integer> out = new ArrayList<>();
        for (int t = 0; t < TASKS; t++) {
            ArrayTaskData test = task(t, 50, 99);
            float[] f = new float[50 * DIM];
            for (int i = 0; i < 50; i++) {
                test.copyFeatures(i, f, i * DIM);
            }
            INDArray x = Nd4j.create(f, new long[] {50, DIM}, DataType.FLOAT);
            for (int p : l.predict(new TaskIncrementalQuery(x, s.task(t)))) {
                out.add(p);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void resumedAtATaskBoundaryEqualsUninterrupted() throws IOException {
        ScenarioInfo s = scenario();
        IcmLoraLearner straight = learner(IcmLoraLearner.Replay.GENERATIVE);
        IcmLoraLearner first = learner(IcmLoraLearner.Replay.GENERATIVE);
        for (int t = 0; t < TASKS; t++) {
            straight.learn(new TrainingExperience(s.task(t), task(t, 300, 1), s));
            if (t < 2) {
                first.learn(new TrainingExperience(s.task(t), task(t, 300, 1), s));
            }
        }
        IcmLoraLearner resumed = learner(IcmLoraLearner.Replay.GENERATIVE);
        resumed.loadState(new StateReader(new ByteArrayInputStream(state(first))));
        for (int t = 2; t < TASKS; t++) {
            resumed.learn(new TrainingExperience(s.task(t), task(t, 300, 1), s));
        }
        assertArrayEquals(state(straight), state(resumed));
        assertArrayEquals(predictAll(straight, s), predictAll(resumed, s));
    }

    @Test
    void generatedAdaptersBeatTheBaseOnTheirTasks() {
        ScenarioInfo s = scenario();
        IcmLoraLearner l = learner(IcmLoraLearner.Replay.STORED);
        for (int t = 0; t < TASKS; t++) {
            l.learn(new TrainingExperience(s.task(t), task(t, 300, 1), s));
        }
        String note = l.endNote();
        // one line per adapter task: generated accuracy well above the base alone on these rotated-axis tasks
        for (String line : note.split("\n")) {
            if (!line.contains("ICMVAL")) {
                continue;
            }
            double gen = value(line, "generated");
            double base = value(line, "base");
            double trained = value(line, "trained");
            assertTrue(trained > base + 0.2, line);
            assertTrue(gen > base + 0.2, line);
        }
        assertTrue(note.contains("ICMSTORAGE"), note);
    }

    private static double value(String line, String key) {
        for (String part : line.trim().split(" ")) {
            if (part.startsWith(key + "=")) {
                return Double.parseDouble(part.substring(key.length() + 1));
            }
        }
        throw new AssertionError(key + " missing in " + line);
    }
}
