package org.cllab.core.learners;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A training minibatch with everything an output layout may need: features, the task of every row and both
 * labels.
 */
public record Minibatch(INDArray features, int[] tasks, int[] classLabels, int[] localLabels) {
    public int size() {
        return tasks.length;
    }

    /** The first {@code n} rows. */
    public Minibatch head(int n) {
        return new Minibatch(features.get(NDArrayIndex.interval(0, n),
                NDArrayIndex.all()).dup(), Arrays.copyOf(tasks, n),
                Arrays.copyOf(classLabels, n), Arrays.copyOf(localLabels, n));
    }

    /** The rows from {@code from} to the end. */
    public Minibatch tail(int from) {
        int n = size();
        return new Minibatch(features.get(NDArrayIndex.interval(from, n), NDArrayIndex.all()).dup(),
                Arrays.copyOfRange(tasks, from, n), Arrays.copyOfRange(classLabels, from, n),
                Arrays.copyOfRange(localLabels, from, n));
    }

    /** This batch followed by {@code other} (e.g. a replayed minibatch). */
    public Minibatch concat(Minibatch other) {
        return new Minibatch(Nd4j.vstack(features, other.features), cat(tasks, other.tasks),
                cat(classLabels, other.classLabels), cat(localLabels, other.localLabels));
    }

    private static int[] cat(int[] a, int[] b) {
        int[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
