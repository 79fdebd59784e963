package org.cllab.hypernets;

import java.util.List;
import org.cllab.core.learners.DiagonalFisher;
import org.cllab.core.learners.MinibatchSampler;
import org.cllab.core.learners.MlpClassifier;
import org.cllab.core.learners.OutputLayout;
import org.cllab.core.nn.Activation;
import org.cllab.core.nn.Mlp;
import org.cllab.core.nn.ParamShape;
import org.cllab.core.rng.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A fully connected target network. Its weights are only ever the ones passed in: they are copied into a compute
 * buffer (an {@link Mlp} used as an engine, whose own initial values are never used) before every pass. The layout
 * of the flat vector is {@link Mlp}'s: {@code W[l]} row-major then {@code b[l]}, layer by layer.
 */
public final class MlpTarget implements TargetNetwork {
    private final Mlp engine;
    private final List<ParamShape> shapes;

    public MlpTarget(int[] sizes, Activation activation) {
        this.engine = new Mlp(sizes, activation);
        this.shapes = Mlp.paramShapes(sizes);
    }

    /** {@code W<l>} ({@code [fanIn, fanOut]}) then {@code b<l>} ({@code [fanOut]}) per layer. */
    @Override
    public List<ParamShape> paramShapes() {
        return shapes;
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

    /**
     * Diagonal Fisher of the target network at {@code weights} on up to {@code maxSamples} samples, labels drawn
     * from the model (see {@link DiagonalFisher}).
     */
    public INDArray diagonalFisher(INDArray weights, MinibatchSampler sampler, int maxSamples, OutputLayout layout,
                                   Rng rng) {
        load(weights);
        return DiagonalFisher.estimate(engine, layout, sampler, maxSamples, MlpClassifier.FisherLabels.SAMPLED, rng);
    }

    @Override
    public INDArray backward(INDArray dLogits) {
        engine.backward(dLogits);
        return engine.gradient().dup();
    }
}
