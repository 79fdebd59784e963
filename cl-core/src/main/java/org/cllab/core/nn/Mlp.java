package org.cllab.core.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cllab.core.rng.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.ThresholdReluBp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A fully connected network {@code in -> h1 -> ... -> out} with linear output (logits).
 *
 * <p>All weights and biases are views into one flat float vector {@link #params()}; {@link #backward} writes the
 * gradient into the equally laid out {@link #gradient()}. Layout per layer: {@code W[l]} ({@code fanIn x fanOut},
 * row-major) then {@code b[l]} ({@code fanOut}). Initialisation follows PyTorch's {@code nn.Linear} default:
 * weights and biases uniform in {@code [-1/sqrt(fanIn), 1/sqrt(fanIn)]}, drawn from the caller's {@link Rng}.
 */
public final class Mlp {
    private final int[] sizes;
    private final Activation activation;
    private final INDArray params;
    private final INDArray gradient;
    private final INDArray[] weights;
    private final INDArray[] biases;
    private final INDArray[] gradWeights;
    private final INDArray[] gradBiases;
    // forward cache for backward: inputs to each layer and hidden activations
    private final INDArray[] layerInputs;
    /** Offset of {@code W[l]} in the flat vector (its bias follows it). */
    private final long[] weightOffsets;
    private final ParamSet paramSet;

    /**
     * @param sizes      layer sizes including input and output, at least two entries, all positive
     * @param activation hidden activation
     */
    public Mlp(int[] sizes, Activation activation) {
        if (sizes.length < 2 || Arrays.stream(sizes).anyMatch(s -> s <= 0)) {
            throw new IllegalArgumentException("MLP sizes must be >= 2 positive numbers: " + Arrays.toString(sizes));
        }
        this.sizes = sizes.clone();
        this.activation = activation;
        int layers = sizes.length - 1;
        long total = 0;
        for (int l = 0; l < layers; l++) {
            total += (long) sizes[l] * sizes[l + 1] + sizes[l + 1];
        }
        params = Nd4j.zeros(DataType.FLOAT, total);
        gradient = Nd4j.zeros(DataType.FLOAT, total);
        weights = new INDArray[layers];
        biases = new INDArray[layers];
        gradWeights = new INDArray[layers];
        gradBiases = new INDArray[layers];
        layerInputs = new INDArray[layers];
        weightOffsets = new long[layers];
        long off = 0;
        for (int l = 0; l < layers; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            weightOffsets[l] = off;
            weights[l] = view(params, off, in, out);
            gradWeights[l] = view(gradient, off, in, out);
            off += (long) in * out;
            biases[l] = view(params, off, 1, out);
            gradBiases[l] = view(gradient, off, 1, out);
            off += out;
        }
        List<ParamSet.Tensor> tensors = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            tensors.add(new ParamSet.Tensor("W" + l, weights[l], gradWeights[l]));
            tensors.add(new ParamSet.Tensor("b" + l, biases[l], gradBiases[l]));
        }
        paramSet = ParamSet.contiguous(params, gradient, tensors);
    }

    /**
     * The tensors of an MLP with layer sizes {@code sizes}, in the order of the flat vector: {@code W<l>}
     * ({@code [fanIn, fanOut]}) then {@code b<l>} ({@code [fanOut]}) per layer.
     */
    public static List<ParamShape> paramShapes(int[] sizes) {
        List<ParamShape> shapes = new ArrayList<>();
        for (int l = 0; l + 1 < sizes.length; l++) {
            shapes.add(new ParamShape("W" + l, new long[] {sizes[l], sizes[l + 1]}));
            shapes.add(new ParamShape("b" + l, new long[] {sizes[l + 1]}));
        }
        return shapes;
    }

    /** The weights and biases as a contiguous {@link ParamSet} over {@link #params()} and {@link #gradient()}. */
    public ParamSet paramSet() {
        return paramSet;
    }

    private static INDArray view(INDArray flat, long off, int rows, int cols) {
        INDArray v = flat.get(NDArrayIndex.interval(off, off + (long) rows * cols)).reshape('c', rows, cols);
        if (!v.isView()) {
            throw new IllegalStateException("parameter view is a copy; ND4J reshape semantics changed");
        }
        return v;
    }

    /**
     * Xavier/Glorot-uniform weights ({@code U(-a, a)}, {@code a = sqrt(6 / (fanIn + fanOut))}) and zero biases, the
     * initialisation of HNET's hypernetwork (von Oswald et al. 2020).
     */
    public void initXavier(Rng rng) {
        for (int l = 0; l < weights.length; l++) {
            double bound = Math.sqrt(6.0 / (sizes[l] + sizes[l + 1]));
            weights[l].assign(uniform(rng, sizes[l] * sizes[l + 1], bound).reshape(sizes[l], sizes[l + 1]));
            biases[l].assign(0);
        }
    }

    /** Fills the parameters from {@code rng} (PyTorch {@code nn.Linear} default). */
    public void init(Rng rng) {
        for (int l = 0; l < weights.length; l++) {
            double bound = 1.0 / Math.sqrt(sizes[l]);
            weights[l].assign(uniform(rng, sizes[l] * sizes[l + 1], bound).reshape(sizes[l], sizes[l + 1]));
            biases[l].assign(uniform(rng, sizes[l + 1], bound).reshape(1, sizes[l + 1]));
        }
    }

    private static INDArray uniform(Rng rng, int n, double bound) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((2 * rng.nextDouble() - 1) * bound);
        }
        return Nd4j.create(v, new long[] {n}, DataType.FLOAT);
    }

    public int[] sizes() {
        return sizes.clone();
    }

    public int inputSize() {
        return sizes[0];
    }

    public int outputSize() {
        return sizes[sizes.length - 1];
    }

    public long numParams() {
        return params.length();
    }

    /** The flat parameter vector (live: writing to it changes the network). */
    public INDArray params() {
        return params;
    }

    /** The flat gradient vector written by {@link #backward}. */
    public INDArray gradient() {
        return gradient;
    }

    /** Logits for {@code x} ({@code [n, in]}), caching what {@link #backward} needs. */
    public INDArray forward(INDArray x) {
        return run(x, true);
    }

    /** Logits for {@code x} without caching (evaluation). */
    public INDArray output(INDArray x) {
        return run(x, false);
    }

    private INDArray run(INDArray x, boolean cache) {
        if (x.rank() != 2 || x.size(1) != sizes[0]) {
            throw new IllegalArgumentException("MLP expects [n, " + sizes[0] + "] input, got "
                    + Arrays.toString(x.shape()));
        }
        INDArray a = x;
        int layers = weights.length;
        for (int l = 0; l < layers; l++) {
            if (cache) {
                layerInputs[l] = a;
            }
            INDArray z = Gemm.product(a, weights[l]).addiRowVector(biases[l]);
            if (l < layers - 1) {
                a = switch (activation) {
                    case RELU -> Transforms.relu(z, false);
                    case TANH -> Transforms.tanh(z, false);
                };
            } else {
                a = z.dup('c'); // the logits in c order, as callers reshape them
            }
        }
        return a;
    }

    /**
     * Adds, for every parameter, the sum over the rows of the last {@link #forward} batch of the squared
     * <em>per-sample</em> gradient to {@code out} (a flat vector laid out like {@link #params()}).
     * {@code perSampleDLogits} must hold each sample's own loss gradient w.r.t. its logits (not divided by the batch
     * size). Rows of an MLP are independent, so for a layer with input {@code A} and pre-activation gradient
     * {@code D}: {@code sum_i (a_i d_i^T)^2 = (A*A)^T (D*D)} and for the bias {@code sum_i d_i^2}; no per-sample loop
     * is needed. Used for the diagonal Fisher information (EWC).
     */
    public void accumulateSquaredGradients(INDArray perSampleDLogits, INDArray out) {
        backpropagate(perSampleDLogits, "accumulateSquaredGradients", (l, in, delta) -> {
            int fanIn = sizes[l];
            int fanOut = sizes[l + 1];
            INDArray d2 = delta.mul(delta);
            view(out, weightOffsets[l], fanIn, fanOut).addi(Gemm.product(in.mul(in), d2, true, false));
            view(out, weightOffsets[l] + (long) fanIn * fanOut, 1, fanOut).addi(d2.sum(0).reshape(1, fanOut));
        });
    }

    /** A new network with the same sizes and activation and a copy of this one's parameters. */
    public Mlp copy() {
        Mlp m = new Mlp(sizes, activation);
        m.params.assign(params);
        return m;
    }

    public Activation activation() {
        return activation;
    }

    /**
     * Back-propagates {@code dLogits} (gradient of the loss w.r.t. the logits of the last {@link #forward} call)
     * and overwrites {@link #gradient()}.
     */
    public void backward(INDArray dLogits) {
        backpropagate(dLogits, "backward", (l, in, delta) -> {
            gradWeights[l].assign(Gemm.product(in, delta, true, false));
            gradBiases[l].assign(delta.sum(0).reshape(1, delta.size(1)));
        });
    }

    /**
     * As {@link #backward} and also returns the gradient of the loss w.r.t. the input of the last {@link #forward}
     * call ({@code [n, in]}), for networks whose inputs are learned (hypernetwork embeddings).
     */
    public INDArray backwardToInput(INDArray dLogits) {
        INDArray[] first = new INDArray[1];
        backpropagate(dLogits, "backwardToInput", (l, in, delta) -> {
            gradWeights[l].assign(Gemm.product(in, delta, true, false));
            gradBiases[l].assign(delta.sum(0).reshape(1, delta.size(1)));
            if (l == 0) {
                first[0] = Gemm.product(delta, weights[0], false, true);
            }
        });
        return first[0];
    }

    /** {@code dOut * [in > 0]} in place of {@code dOut}, one native op (ReLU's derivative through its output). */
    private static INDArray reluBackward(INDArray in, INDArray dOut) {
        Nd4j.exec(new ThresholdReluBp(in, dOut, dOut, 0.0));
        return dOut;
    }

    /** Receives, for each layer from the last to the first, its input and the loss gradient of its pre-activation. */
    @FunctionalInterface
    private interface LayerGradientSink {
        void accept(int layer, INDArray input, INDArray delta);
    }

    /** The backward pass shared by {@link #backward} and {@link #accumulateSquaredGradients}. */
    private void backpropagate(INDArray dLogits, String caller, LayerGradientSink sink) {
        INDArray delta = dLogits;
        for (int l = weights.length - 1; l >= 0; l--) {
            INDArray in = layerInputs[l];
            if (in == null) {
                throw new IllegalStateException(caller + "() without forward()");
            }
            sink.accept(l, in, delta);
            if (l > 0) {
                INDArray dIn = Gemm.product(delta, weights[l], false, true);
                // in = act(z_{l-1}); derivative expressed through the activation value
                delta = switch (activation) {
                    case RELU -> reluBackward(in, dIn);
                    case TANH -> dIn.muli(in.mul(in).rsubi(1.0));
                };
            }
        }
        Arrays.fill(layerInputs, null);
    }
}
