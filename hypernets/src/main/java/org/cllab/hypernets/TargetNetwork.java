package org.cllab.hypernets;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network that owns no weights: it declares how many it needs and runs with a flat weight vector supplied at
 * forward time (the hypnettorch contract).
 */
public interface TargetNetwork {
    /** Length of the flat weight vector. */
    long numParams();

    /** Logits for {@code x} with {@code weights}, caching what {@link #backward} needs. */
    INDArray forward(INDArray x, INDArray weights);

    /** Logits without caching (evaluation). */
    INDArray output(INDArray x, INDArray weights);

    /** Gradient of the loss w.r.t. the weights of the last {@link #forward}, given the logit gradient (a new array). */
    INDArray backward(INDArray dLogits);
}
