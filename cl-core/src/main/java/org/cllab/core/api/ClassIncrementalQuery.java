package org.cllab.core.api;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A class-incremental test batch: inputs only. There is no task id in this type, so a predictor cannot peek.
 *
 * @param features {@code [n, featureDim]}
 */
public record ClassIncrementalQuery(INDArray features) {
}
