package org.cllab.hypernets.generators.icmlora;

import java.util.ArrayList;
import java.util.List;
import org.cllab.core.nn.Gemm;
import org.cllab.core.nn.ParamSet;
import org.cllab.core.rng.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * An MLP (ReLU hidden layers, linear output) whose every linear layer carries a rank-r LoRA adapter (Hu et al. 2022):
 * in row-vector form {@code z = h (W + (alpha/r) A B) + b} with {@code W [in, out]}, {@code A [in, r]} and
 * {@code B [r, out]} (the transpose of the paper's {@code W + (alpha/r) B A}). The base weights and the adapter live
 * in two flat vectors with per-tensor views, so an optimiser can train either one while the other stays frozen.
 * The adapter starts as LoRA does: {@code A} random, {@code B = 0}, so a fresh adapter leaves the base unchanged.
 */
public final class LoraMlp {
    private final int[] sizes;
    private final int rank;
    private final double scale;
    private final INDArray baseFlat;
    private final INDArray baseGrad;
    private final INDArray[] w;
    private final INDArray[] b;
    private final INDArray[] gw;
    private final INDArray[] gb;
    private final INDArray adapterFlat;
    private final INDArray adapterGrad;
    private final INDArray[] a;
    private final INDArray[] bb;
    private final INDArray[] ga;
    private final INDArray[] gbb;
    private final List<ParamSet.Tensor> baseTensors = new ArrayList<>();
    private final List<ParamSet.Tensor> adapterTensors = new ArrayList<>();
    private final int[] adapterOffsets;
    // forward caches for backward
    private INDArray[] inputs;
    private INDArray[] pre;
    private INDArray[] low;
    private boolean cachedAdapter;

    /**
     * @param sizes input, hidden..., output sizes
     * @param rank  adapter rank r
     * @param alpha LoRA alpha (the adapter is scaled by alpha / r)
     */
    public LoraMlp(int[] sizes, int rank, double alpha, DataType type) {
        if (sizes.length < 2 || rank <= 0) {
            throw new IllegalArgumentException("need >= 2 layer sizes and rank > 0");
        }
        this.sizes = sizes.clone();
        this.rank = rank;
        this.scale = alpha / rank;
        int layers = sizes.length - 1;
        long nBase = 0;
        long nAd = 0;
        for (int l = 0; l < layers; l++) {
            nBase += (long) sizes[l] * sizes[l + 1] + sizes[l + 1];
            nAd += (long) rank * (sizes[l] + sizes[l + 1]);
        }
        baseFlat = Nd4j.zeros(type, 1, nBase);
        baseGrad = Nd4j.zeros(type, 1, nBase);
        adapterFlat = Nd4j.zeros(type, 1, nAd);
        adapterGrad = Nd4j.zeros(type, 1, nAd);
        w = new INDArray[layers];
        b = new INDArray[layers];
        gw = new INDArray[layers];
        gb = new INDArray[layers];
        a = new INDArray[layers];
        bb = new INDArray[layers];
        ga = new INDArray[layers];
        gbb = new INDArray[layers];
        adapterOffsets = new int[2 * layers + 1];
        long off = 0;
        long offA = 0;
        for (int l = 0; l < layers; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            w[l] = view(baseFlat, off, in, out);
            gw[l] = view(baseGrad, off, in, out);
            baseTensors.add(new ParamSet.Tensor("W" + l, w[l], gw[l]));
            off += (long) in * out;
            b[l] = view(baseFlat, off, 1, out);
            gb[l] = view(baseGrad, off, 1, out);
            baseTensors.add(new ParamSet.Tensor("b" + l, b[l], gb[l]));
            off += out;
            adapterOffsets[2 * l] = (int) offA;
            a[l] = view(adapterFlat, offA, in, rank);
            ga[l] = view(adapterGrad, offA, in, rank);
            adapterTensors.add(new ParamSet.Tensor("A" + l, a[l], ga[l]));
            offA += (long) in * rank;
            adapterOffsets[2 * l + 1] = (int) offA;
            bb[l] = view(adapterFlat, offA, rank, out);
            gbb[l] = view(adapterGrad, offA, rank, out);
            adapterTensors.add(new ParamSet.Tensor("B" + l, bb[l], gbb[l]));
            offA += (long) rank * out;
        }
        adapterOffsets[2 * layers] = (int) offA;
    }

    private static INDArray view(INDArray flat, long off, int rows, int cols) {
        INDArray v = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(off, off + (long) rows * cols))
                .reshape('c', rows, cols);
        if (!v.isView()) {
            throw new IllegalStateException("parameter view is a copy; ND4J reshape semantics changed");
        }
        return v;
    }

    public int[] sizes() {
        return sizes.clone();
    }

    public int layers() {
        return sizes.length - 1;
    }

    public int rank() {
        return rank;
    }

    /** alpha / r. */
    public double scale() {
        return scale;
    }

    /** Width of the last hidden layer (the task vector's length). */
    public int lastHidden() {
        return sizes[sizes.length - 2];
    }

    public ParamSet baseParams() {
        return ParamSet.contiguous(baseFlat, baseGrad, baseTensors);
    }

    public ParamSet adapterParams() {
        return ParamSet.contiguous(adapterFlat, adapterGrad, adapterTensors);
    }

    /** The live flat base vector. */
    public INDArray baseFlat() {
        return baseFlat;
    }

    /** The live flat adapter vector: A0, B0, A1, B1, ... each in c order. */
    public INDArray adapterFlat() {
        return adapterFlat;
    }

    public int adapterSize() {
        return (int) adapterFlat.length();
    }

    /** Start offsets of the adapter tensors A0, B0, A1, ... in the flat vector, then its length. */
    public int[] adapterTensorOffsets() {
        return adapterOffsets.clone();
    }

    /** He-uniform base weights, zero biases. */
    public void initBase(Rng rng) {
        for (int l = 0; l < layers(); l++) {
            w[l].assign(uniform(rng, w[l].length(), Math.sqrt(6.0 / sizes[l])).reshape(sizes[l], sizes[l + 1]));
            b[l].assign(0);
        }
    }

    /** A fresh adapter as LoRA initialises it: A Kaiming-uniform (bound 1/sqrt(in)), B zero. */
    public void initAdapter(Rng rng) {
        for (int l = 0; l < layers(); l++) {
            a[l].assign(uniform(rng, a[l].length(), 1.0 / Math.sqrt(sizes[l])).reshape(sizes[l], rank));
            bb[l].assign(0);
        }
    }

    private INDArray uniform(Rng rng, long n, double bound) {
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (rng.nextDouble() * 2 - 1) * bound;
        }
        return Nd4j.create(v, new long[] {n}, baseFlat.dataType());
    }

    /** Logits {@code [n, out]}; with {@code adapter} the LoRA path is added. Caches what {@link #backward} needs. */
    public INDArray forward(INDArray x, boolean adapter) {
        int layers = layers();
        inputs = new INDArray[layers];
        pre = new INDArray[layers];
        low = new INDArray[layers];
        cachedAdapter = adapter;
        INDArray h = x;
        for (int l = 0; l < layers; l++) {
            inputs[l] = h;
            INDArray z = Gemm.product(h, w[l]);
            if (adapter) {
                low[l] = Gemm.product(h, a[l]);
                z.addi(Gemm.product(low[l], bb[l]).muli(scale));
            }
            z.addiRowVector(b[l]);
            pre[l] = z;
            h = l < layers - 1 ? Transforms.relu(z, true) : z;
        }
        return h;
    }

    /** Activations of the last hidden layer {@code [n, lastHidden]}. */
    public INDArray lastHiddenActivations(INDArray x, boolean adapter) {
        forward(x, adapter);
        return inputs[layers() - 1];
    }

    /** Logits of the merged network {@code h (W + s A B) + b} (no adapter path): the merge identity's other side. */
    public INDArray forwardMerged(INDArray x) {
        INDArray h = x;
        for (int l = 0; l < layers(); l++) {
            INDArray merged = w[l].add(Gemm.product(a[l], bb[l]).muli(scale));
            INDArray z = Gemm.product(h, merged).addiRowVector(b[l]);
            h = l < layers() - 1 ? Transforms.relu(z, true) : z;
        }
        return h;
    }

    /**
     * Backward pass from {@code dLogits} through the last {@link #forward}: fills the adapter's gradients when
     * {@code adapter}, else the base's (the forward must then have been run without the adapter).
     */
    public void backward(INDArray dLogits, boolean adapter) {
        if (adapter != cachedAdapter) {
            throw new IllegalStateException("backward must follow a forward with the same adapter flag");
        }
        INDArray delta = dLogits;
        for (int l = layers() - 1; l >= 0; l--) {
            INDArray in = inputs[l];
            INDArray deltaB = null;
            if (adapter) {
                gbb[l].assign(Gemm.product(low[l], delta, true, false).muli(scale));
                deltaB = Gemm.product(delta, bb[l], false, true);
                ga[l].assign(Gemm.product(in, deltaB, true, false).muli(scale));
            } else {
                gw[l].assign(Gemm.product(in, delta, true, false));
                gb[l].assign(delta.sum(0).reshape(1, delta.size(1)));
            }
            if (l > 0) {
                INDArray dh = Gemm.product(delta, w[l], false, true);
                if (adapter) {
                    dh.addi(Gemm.product(deltaB, a[l], false, true).muli(scale));
                }
                delta = dh.muli(Transforms.step(pre[l - 1]));
            }
        }
    }
}
