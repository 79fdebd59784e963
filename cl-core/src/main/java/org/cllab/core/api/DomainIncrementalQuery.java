package org.cllab.core.api;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A domain-incremental test batch: inputs only, answers in the shared local label space.
 *
 * @param features {@code [n, featureDim]}
 */
public record DomainIncrementalQuery(INDArray features) {
}
