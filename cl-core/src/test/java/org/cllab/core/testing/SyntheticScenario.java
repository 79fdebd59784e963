package org.cllab.core.testing;

import java.util.ArrayList;
import java.util.List;
import org.cllab.core.api.ListScenario;
import org.cllab.core.api.ScenarioInfo;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.data.ArrayTaskData;
import org.cllab.core.data.TaskData;
import org.cllab.core.rng.Rng;

/**
 * A seeded split scenario of Gaussian clusters, for tests that need a real (but tiny and fast) stream.
 *
 * <p>Class {@code c} has a centre with coordinates {@code 3 * N(0, 1)}; each sample is its centre plus
 * {@code N(0, 1)} noise per coordinate. There are {@code tasks * classesPerTask} classes; task {@code t} holds
 * classes {@code t*k .. t*k+k-1} (k = classesPerTask) and the local label of class {@code c} is {@code c - t*k}.
 * Centres, training and test samples come from three generators derived from the seed ({@code "centres"},
 * {@code "train"}, {@code "test"}), so the same arguments always give the same data. Samples are stored
 * class by class in task order.
 */
public final class SyntheticScenario extends ListScenario {
    private final float[][] centres;

    private SyntheticScenario(ScenarioInfo info, List<TaskData> train, List<TaskData> test, float[][] centres,
                              long seed) {
        super(info, train, test, "synthetic(seed=" + seed + ")");
        this.centres = centres;
    }

    /**
     * @param tasks          number of tasks, positive
     * @param classesPerTask classes per task, positive
     * @param dim            feature dimension, positive
     * @param trainPerClass  training samples per class, positive
     * @param testPerClass   test samples per class, positive
     * @param seed           decides centres and samples
     */
    public static SyntheticScenario split(int tasks, int classesPerTask, int dim, int trainPerClass, int testPerClass,
                                          long seed) {
        if (tasks <= 0 || classesPerTask <= 0 || dim <= 0 || trainPerClass <= 0 || testPerClass <= 0) {
            throw new IllegalArgumentException("all sizes must be positive: tasks " + tasks + ", classes/task "
                    + classesPerTask + ", dim " + dim + ", train/class " + trainPerClass + ", test/class "
                    + testPerClass);
        }
        int numClasses = tasks * classesPerTask;
        Rng centreRng = Rng.forComponent(seed, "centres");
        float[][] centres = new float[numClasses][dim];
        for (int c = 0; c < numClasses; c++) {
            for (int d = 0; d < dim; d++) {
                centres[c][d] = (float) (3.0 * centreRng.nextGaussian());
            }
        }
        Rng trainRng = Rng.forComponent(seed, "train");
        Rng testRng = Rng.forComponent(seed, "test");
        List<TaskInfo> infos = new ArrayList<>();
        List<TaskData> trainParts = new ArrayList<>();
        List<TaskData> testParts = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            int[] classes = new int[classesPerTask];
            StringBuilder name = new StringBuilder("classes ");
            for (int j = 0; j < classesPerTask; j++) {
                classes[j] = t * classesPerTask + j;
                name.append(j == 0 ? "" : ",").append(classes[j]);
            }
            infos.add(new TaskInfo(t, name.toString(), classes));
            trainParts.add(part(centres, classes, t * classesPerTask, trainPerClass, dim, trainRng));
            testParts.add(part(centres, classes, t * classesPerTask, testPerClass, dim, testRng));
        }
        ScenarioInfo info = new ScenarioInfo("synthetic-split", infos, dim, new int[] {1, 1, dim}, numClasses,
                classesPerTask);
        return new SyntheticScenario(info, trainParts, testParts, centres, seed);
    }

    private static ArrayTaskData part(float[][] centres, int[] classes, int firstClass, int perClass, int dim,
                                      Rng rng) {
        int n = classes.length * perClass;
        float[] x = new float[n * dim];
        int[] cls = new int[n];
        int[] loc = new int[n];
        int i = 0;
        for (int c : classes) {
            for (int s = 0; s < perClass; s++, i++) {
                for (int d = 0; d < dim; d++) {
                    x[i * dim + d] = (float) (centres[c][d] + rng.nextGaussian());
                }
                cls[i] = c;
                loc[i] = c - firstClass;
            }
        }
        return new ArrayTaskData(x, dim, cls, loc);
    }

    /** The cluster centre of class {@code c} (a copy). */
    public float[] centre(int c) {
        return centres[c].clone();
    }
}
