package org.cllab.core.api;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One minibatch of a boundary-free sample stream: features and labels, nothing else. It carries no task id
 * and the stream signals no task boundary, so a {@link StreamingLearner} cannot depend on either.
 *
 * @param features {@code [n, featureDim]}
 * @param labels   labels in the training mode's label space (class labels in class-incremental mode, local
 *                 labels in domain-incremental mode)
 */
public record StreamBatch(INDArray features, int[] labels) {
}
