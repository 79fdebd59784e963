package org.cllab.core.api;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A task-incremental test batch: inputs and the task they come from; answers are local labels of that task.
 *
 * @param features {@code [n, featureDim]}
 * @param task     the task all samples belong to
 */
public record TaskIncrementalQuery(INDArray features, TaskInfo task) {
}
