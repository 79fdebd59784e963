package org.cllab.hypernets;

import java.util.List;
import org.cllab.core.nn.ParamShape;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network that owns no weights: it declares the named shapes of the tensors it needs and runs with a flat weight
 * vector (the tensors concatenated in that order) supplied at forward time (the hypnettorch contract).
 */
public interface TargetNetwork {
    /**
     * The weight tensors, in the order of the flat weight vector (row-major within each): what a hypernetwork or a
     * LoRA generator must produce, tensor by tensor.
     */
    List<ParamShape> paramShapes();

    /** Length of the flat weight vector: the sum of {@link #paramShapes()}' lengths. */
    default long numParams() {
        return paramShapes().stream().mapToLong(ParamShape::length).sum();
    }

    /** Logits for {@code x} with {@code weights}, caching what {@link #backward} needs. */
    INDArray forward(INDArray x, INDArray weights);

    /** Logits without caching (evaluation). */
    INDArray output(INDArray x, INDArray weights);

    /** Gradient of the loss w.r.t. the weights of the last {@link #forward}, given the logit gradient (a new array). */
    INDArray backward(INDArray dLogits);
}
