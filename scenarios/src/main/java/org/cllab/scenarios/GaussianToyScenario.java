package org.cllab.scenarios;

import java.util.ArrayList;
import java.util.List;
import org.cllab.core.api.ListScenario;
import org.cllab.core.api.ScenarioInfo;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.data.ArrayTaskData;
import org.cllab.core.data.TaskData;
import org.cllab.core.rng.Rng;

/**
 * The 2-D toy stream of the discrete key-value bottleneck paper (Träuble et al., ICML 2023, authors' notebook):
 * 8 isotropic Gaussian classes (σ = 0.035) on the unit square, 4 tasks of 2 classes,
 * <pre>
 *   task 1: (0.25, 0.25), (0.75, 0.50)     task 2: (0.75, 0.25), (0.50, 0.75)
 *   task 3: (0.75, 0.75), (0.25, 0.50)     task 4: (0.25, 0.75), (0.50, 0.25)
 * </pre>
 * Class {@code 2t + i} is the i-th centre of task t. The paper uses 100 training points per task; the test part
 * (not fixed by the paper) is drawn the same way from independent generators.
 */
public final class GaussianToyScenario extends ListScenario {
    /** Class centres in class order. */
    public static final double[][] CENTRES = {
            {0.25, 0.25}, {0.75, 0.50},
            {0.75, 0.25}, {0.50, 0.75},
            {0.75, 0.75}, {0.25, 0.50},
            {0.25, 0.75}, {0.50, 0.25}};
    /** Standard deviation of every class. */
    public static final double SIGMA = 0.035;
    private static final int TASKS = 4;

    private GaussianToyScenario(ScenarioInfo info, List<TaskData> train, List<TaskData> test, String provenance) {
        super(info, train, test, provenance);
    }

    /**
     * @param trainPerClass training points per class (50 gives the paper's 100 per task)
     * @param testPerClass  test points per class
     * @param seed          the stream seed: decides the samples
     */
    public static GaussianToyScenario create(int trainPerClass, int testPerClass, long seed) {
        if (trainPerClass <= 0 || testPerClass <= 0) {
            throw new IllegalArgumentException("points per class must be positive");
        }
        List<TaskInfo> tasks = new ArrayList<>();
        List<TaskData> train = new ArrayList<>();
        List<TaskData> test = new ArrayList<>();
        for (int t = 0; t < TASKS; t++) {
            int[] classes = {2 * t, 2 * t + 1};
            tasks.add(new TaskInfo(t, "classes " + classes[0] + "," + classes[1], classes));
            train.add(sample(classes, trainPerClass, Rng.forComponent(seed, "toy/train/task-" + t)));
            test.add(sample(classes, testPerClass, Rng.forComponent(seed, "toy/test/task-" + t)));
        }
        ScenarioInfo info = new ScenarioInfo("gaussian-toy", tasks, 2, new int[] {1, 1, 2}, 2 * TASKS, 2);
        return new GaussianToyScenario(info, train, test, "2-D Gaussian toy (8 classes, sigma " + SIGMA + ", "
                + trainPerClass + " train / " + testPerClass + " test points per class, seed " + seed + ")");
    }

    private static TaskData sample(int[] classes, int perClass, Rng rng) {
        int n = classes.length * perClass;
        float[] x = new float[2 * n];
        int[] cls = new int[n];
        int[] loc = new int[n];
        int i = 0;
        for (int k = 0; k < classes.length; k++) {
            for (int s = 0; s < perClass; s++, i++) {
                x[2 * i] = (float) (CENTRES[classes[k]][0] + SIGMA * rng.nextGaussian());
                x[2 * i + 1] = (float) (CENTRES[classes[k]][1] + SIGMA * rng.nextGaussian());
                cls[i] = classes[k];
                loc[i] = k;
            }
        }
        return new ArrayTaskData(x, 2, cls, loc);
    }
}
