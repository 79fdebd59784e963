package org.cllab.core.learners;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A training minibatch with everything an output layout may need: features, the task of every row and both
 * labels.
 */
public record Minibatch(INDArray features, int[] tasks, int[] classLabels, int[] localLabels) {
    public int size() {
        return tasks.length;
    }
}
