package org.cllab.hypernets;

import org.cllab.core.nn.Activation;
import org.cllab.core.nn.Mlp;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A fully connected target network. Its weights are only ever the ones passed in: they are copied into a compute
 * buffer (an {@link Mlp} used as an engine, whose own initial values are never used) before every pass. The layout
 * of the flat vector is {@link Mlp}'s: {@code W[l]} row-major then {@code b[l]}, layer by layer.
 */
public final class MlpTarget implements TargetNetwork {
    private final Mlp engine;

    public MlpTarget(int[] sizes, Activation activation) {
        this.engine = new Mlp(sizes, activation);
    }

    @Override
    public long numParams() {
        return engine.numParams();
    }

    private void load(INDArray weights) {
        if (weights.length() != engine.numParams()) {
            throw new IllegalArgumentException("target network needs " + engine.numParams() + " weights, got "
                    + weights.length());
        }
        engine.params().assign(weights.reshape(engine.numParams()));
    }

    @Override
    public INDArray forward(INDArray x, INDArray weights) {
        load(weights);
        return engine.forward(x);
    }

    @Override
    public INDArray output(INDArray x, INDArray weights) {
        load(weights);
        return engine.output(x);
    }

    @Override
    public INDArray backward(INDArray dLogits) {
        engine.backward(dLogits);
        return engine.gradient().dup();
    }
}
