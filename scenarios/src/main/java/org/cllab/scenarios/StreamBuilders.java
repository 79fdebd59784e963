package org.cllab.scenarios;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.rng.Rng;
import org.cllab.scenarios.data.ImageSet;

/**
 * Builds the standard task streams. The stream seed decides class order and permutations; it is independent of
 * any learner seed.
 */
public final class StreamBuilders {
    private StreamBuilders() {
    }

    /**
     * Split: {@code tasks} tasks of {@code classesPerTask} classes each. With {@code shuffleClasses} the class order
     * is a permutation drawn from the stream seed, otherwise 0,1,2,... Class labels are the dataset's labels,
     * local labels the position of the class within its task.
     *
     * @param limitPerTask cap on training samples per task (0 = all), taking the first ones in file order
     */
    public static ImageScenario split(String name, ImageSet train, ImageSet test, int tasks, int classesPerTask,
                                      boolean shuffleClasses, long streamSeed, int limitPerTask) {
        int numClasses = Math.max(train.numClasses(), test.numClasses());
        if ((long) tasks * classesPerTask > numClasses) {
            throw new IllegalArgumentException(tasks + " tasks x " + classesPerTask + " classes need "
                    + tasks * classesPerTask + " classes, the dataset has " + numClasses);
        }
        int[] order = shuffleClasses ? Rng.forComponent(streamSeed, "class-order").permutation(numClasses)
                : identity(numClasses);
        ImageScenario.Assembly a = new ImageScenario.Assembly();
        for (int t = 0; t < tasks; t++) {
            int[] classes = Arrays.copyOfRange(order, t * classesPerTask, (t + 1) * classesPerTask);
            a.tasks.add(new TaskInfo(t, "classes " + Arrays.stream(classes).mapToObj(Integer::toString)
                    .collect(Collectors.joining(",")), classes));
            a.train.add(splitPart(train, classes, numClasses, limitPerTask));
            a.test.add(splitPart(test, classes, numClasses, 0));
        }
        return a.build(name, train, test, numClasses, classesPerTask);
    }

    private static ImageTaskData splitPart(ImageSet set, int[] classes, int numClasses, int limit) {
        int[] localOf = new int[numClasses];
        Arrays.fill(localOf, -1);
        for (int j = 0; j < classes.length; j++) {
            localOf[classes[j]] = j;
        }
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < set.size() && (limit <= 0 || idx.size() < limit); i++) {
            if (localOf[set.label(i)] >= 0) {
                idx.add(i);
            }
        }
        int[] indices = idx.stream().mapToInt(Integer::intValue).toArray();
        int[] cls = new int[indices.length];
        int[] loc = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            cls[k] = set.label(indices[k]);
            loc[k] = localOf[cls[k]];
        }
        return new ImageTaskData(set, indices, cls, loc, null);
    }

    /**
     * Permuted: every task sees all classes under its own fixed pixel permutation drawn from the stream seed.
     * Class labels are {@code t * numClasses + label} (class-incremental), local labels the dataset label.
     *
     * @param permuteFirst whether task 0 is permuted too (false: task 0 is the original images)
     */
    public static ImageScenario permuted(String name, ImageSet train, ImageSet test, int tasks, long streamSeed,
                                         boolean permuteFirst, int limitPerTask) {
        int numClasses = Math.max(train.numClasses(), test.numClasses());
        ImageScenario.Assembly a = new ImageScenario.Assembly();
        for (int t = 0; t < tasks; t++) {
            PixelTransform p = (t == 0 && !permuteFirst) ? null
                    : new Permutation(Rng.forComponent(streamSeed, "permutation/" + t).permutation(train.featureDim()));
            a.tasks.add(new TaskInfo(t, "permutation " + t, offsetClasses(t, numClasses)));
            a.train.add(allPart(train, t, numClasses, p, limitPerTask));
            a.test.add(allPart(test, t, numClasses, p, 0));
        }
        return a.build(name, train, test, tasks * numClasses, numClasses);
    }

    /**
     * Rotated: task {@code t} sees all classes rotated by {@code degrees[t]}; labels as in {@link #permuted}.
     */
    public static ImageScenario rotated(String name, ImageSet train, ImageSet test, double[] degrees,
                                        int limitPerTask) {
        int numClasses = Math.max(train.numClasses(), test.numClasses());
        ImageScenario.Assembly a = new ImageScenario.Assembly();
        for (int t = 0; t < degrees.length; t++) {
            PixelTransform r = degrees[t] == 0 ? null
                    : new Rotation(degrees[t], train.channels(), train.rows(), train.cols());
            a.tasks.add(new TaskInfo(t, "rotation " + degrees[t] + " deg", offsetClasses(t, numClasses)));
            a.train.add(allPart(train, t, numClasses, r, limitPerTask));
            a.test.add(allPart(test, t, numClasses, r, 0));
        }
        return a.build(name, train, test, degrees.length * numClasses, numClasses);
    }

    /** Evenly spaced angles {@code 0, step, 2 step, ...} with {@code step = maxDegrees / tasks}. */
    public static double[] evenAngles(int tasks, double maxDegrees) {
        double[] d = new double[tasks];
        for (int t = 0; t < tasks; t++) {
            d[t] = t * maxDegrees / tasks;
        }
        return d;
    }

    private static int[] offsetClasses(int t, int numClasses) {
        int[] c = new int[numClasses];
        for (int j = 0; j < numClasses; j++) {
            c[j] = t * numClasses + j;
        }
        return c;
    }

    private static ImageTaskData allPart(ImageSet set, int t, int numClasses, PixelTransform transform, int limit) {
        int n = limit > 0 ? Math.min(limit, set.size()) : set.size();
        int[] indices = identity(n);
        int[] cls = new int[n];
        int[] loc = new int[n];
        for (int i = 0; i < n; i++) {
            loc[i] = set.label(i);
            cls[i] = t * numClasses + loc[i];
        }
        return new ImageTaskData(set, indices, cls, loc, transform);
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }
}
