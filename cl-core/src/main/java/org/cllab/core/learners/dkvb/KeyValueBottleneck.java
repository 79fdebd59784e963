package org.cllab.core.learners.dkvb;

import org.cllab.core.nn.StepScope;
import org.cllab.core.rng.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.indexaccum.custom.ArgMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The frozen part of the bottleneck: the split of a feature vector into C heads and the C codebooks of M keys.
 * {@link #nearest} returns, for every sample and codebook, the indices of the {@code topK} nearest keys (squared
 * Euclidean distance), optionally only among keys marked usable. Per codebook, the scores {@code 2 h.k - |k|^2}
 * (the squared distance up to {@code |h|^2}, negated) of all heads against all keys are one matrix product
 * {@code H_c (2 K_c)^T} (ND4J GEMM into one reused buffer) plus one broadcast of the row {@code -|K_c|^2}, which
 * also carries the mask of unusable keys, followed by ND4J's row argmax into a reused index array for top-1; top-k
 * ({@code k > 1}) selects in plain Java. The scores are bit for bit those of the product {@code 2 (H_c K_c^T)} plus
 * the row (doubling is exact), so the indices do not depend on this layout.
 *
 * <p>Random projections follow the paper: {@code P_c ~ N(0,1)^{d x k}}, every column L2-normalised over the
 * {@code d} input dimensions, fixed for good.
 */
public final class KeyValueBottleneck {
    private static final float MASKED = -1e30f;

    private final int featureDim;
    private final int codebooks;
    private final int pairs;
    private final int keyDim;
    private final DkvbSpec.Split split;
    private final INDArray projection; // [d, C*k] or null for CHUNK
    private final float[] keys; // [C][M][k]
    private INDArray keys2T; // [C, k, M]: per codebook twice the keys, transposed
    private INDArray[] keyViews; // per codebook the [k, M] block of keys2T
    private INDArray bias; // [C, M]: -|k_j|^2 (+ mask)
    private INDArray[] biasViews; // per codebook the [1, M] row of bias
    private INDArray keysStaging; // [C, M, k]: twice the keys, off-heap
    private INDArray negNorms; // [C, M]: -|k_j|^2 without mask
    private boolean[] maskedAs; // the usable mask the bias rows hold (null: none)

    public KeyValueBottleneck(int featureDim, int codebooks, int pairs, int keyDim, DkvbSpec.Split split, Rng rng) {
        if (split == DkvbSpec.Split.CHUNK && codebooks * keyDim != featureDim) {
            throw new IllegalArgumentException("chunk split needs codebooks x key dim = feature dim, got "
                    + codebooks + " x " + keyDim + " != " + featureDim);
        }
        this.featureDim = featureDim;
        this.codebooks = codebooks;
        this.pairs = pairs;
        this.keyDim = keyDim;
        this.split = split;
        this.keys = new float[codebooks * pairs * keyDim];
        if (split == DkvbSpec.Split.RANDOM_PROJECTION) {
            float[] p = new float[featureDim * codebooks * keyDim];
            int cols = codebooks * keyDim;
            for (int col = 0; col < cols; col++) {
                double norm = 0;
                for (int d = 0; d < featureDim; d++) {
                    float v = (float) rng.nextGaussian();
                    p[d * cols + col] = v;
                    norm += (double) v * v;
                }
                float inv = (float) (1.0 / Math.sqrt(norm));
                for (int d = 0; d < featureDim; d++) {
                    p[d * cols + col] *= inv;
                }
            }
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                this.projection = Nd4j.create(p, new long[] {featureDim, cols}, DataType.FLOAT);
            }
        } else {
            this.projection = null;
        }
    }

    public int codebooks() {
        return codebooks;
    }

    public int pairs() {
        return pairs;
    }

    public int keyDim() {
        return keyDim;
    }

    public int featureDim() {
        return featureDim;
    }

    /** The keys {@code [C][M][k]} (live: change them only through {@link #keysChanged()}). */
    public float[] keys() {
        return keys;
    }

    /** Rebuilds the doubled, transposed keys and the norm row used by {@link #nearest} after the keys were changed. */
    public void keysChanged() {
        float[] norms = new float[codebooks * pairs];
        for (int q = 0; q < norms.length; q++) {
            double s = 0;
            for (int u = 0; u < keyDim; u++) {
                float v = keys[q * keyDim + u];
                s += (double) v * v;
            }
            norms[q] = (float) -s;
        }
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (keys2T == null) {
                keys2T = Nd4j.create(DataType.FLOAT, codebooks, keyDim, pairs);
                bias = Nd4j.create(DataType.FLOAT, codebooks, pairs);
                biasViews = new INDArray[codebooks];
                keysStaging = Nd4j.create(DataType.FLOAT, codebooks, pairs, keyDim);
                negNorms = Nd4j.create(DataType.FLOAT, codebooks, pairs);
                keyViews = new INDArray[codebooks];
                for (int c = 0; c < codebooks; c++) {
                    keyViews[c] = keys2T.get(NDArrayIndex.point(c), NDArrayIndex.all(), NDArrayIndex.all());
                    biasViews[c] = bias.getRow(c, true);
                }
            }
            keysStaging.data().asNioFloat().put(0, keys);
            negNorms.data().asNioFloat().put(0, norms);
            keys2T.assign(keysStaging.muli(2).permute(0, 2, 1));
            bias.assign(negNorms);
        }
        maskedAs = null;
    }

    /**
     * Makes the bias row {@code -|k|^2} plus {@link #MASKED} for keys not usable (all usable
     * for null); rewritten only when the mask differs from the one in place.
     */
    private void applyMask(boolean[] usable) {
        if (usable == null ? maskedAs == null : java.util.Arrays.equals(usable, maskedAs)) {
            return;
        }
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (usable == null) {
                bias.assign(negNorms);
                maskedAs = null;
                return;
            }
            float[] m = new float[codebooks * pairs];
            for (int q = 0; q < m.length; q++) {
                m[q] = usable[q] ? 0f : MASKED;
            }
            INDArray mask = Nd4j.createUninitialized(DataType.FLOAT, codebooks, pairs);
            mask.data().asNioFloat().put(0, m);
            bias.assign(mask.addi(negNorms));
            maskedAs = usable.clone();
        }
    }

    /** Heads {@code [n, C*k]} (row i: head c at columns {@code c*k..c*k+k}). */
    public INDArray heads(INDArray x) {
        if (x.rank() != 2 || x.size(1) != featureDim) {
            throw new IllegalArgumentException("bottleneck expects [n, " + featureDim + "] features, got "
                    + java.util.Arrays.toString(x.shape()));
        }
        return projection == null ? x.castTo(DataType.FLOAT) : x.castTo(DataType.FLOAT).mmul(projection);
    }

    /** Heads as a Java array {@code [n][C][k]}. */
    public float[] headsArray(INDArray x) {
        try (StepScope s = StepScope.open("dkvb")) {
            return heads(x).dup('c').data().asFloat();
        }
    }

    /**
     * Indices of the {@code topK} nearest keys of every head, {@code [n][C][topK]}, nearest first, as global pair
     * indices {@code c * M + j}.
     *
     * @param usable {@code [C][M]} keys that may be selected, or null for all; a codebook without a usable key gets
     *               index -1 in all its slots
     */
    public int[] nearest(INDArray x, int topK, boolean[] usable) {
        if (keys2T == null) {
            keysChanged();
        }
        applyMask(usable);
        int n = (int) x.size(0);
        int[] out = new int[n * codebooks * topK];
        try (StepScope scope = StepScope.open("dkvb")) {
            INDArray h = headsByCodebook(heads(x), n);
            // f order: BLAS then sums every score exactly as the product into a new array (mmul) does
            INDArray score = Nd4j.createUninitialized(DataType.FLOAT, new long[] {n, pairs}, 'f');
            INDArray best = Nd4j.createUninitialized(DataType.LONG, n);
            float[] s = topK == 1 ? null : new float[n * pairs];
            for (int c = 0; c < codebooks; c++) {
                if (usable != null && !anyUsable(usable, c)) {
                    for (int i = 0; i < n; i++) {
                        for (int r = 0; r < topK; r++) {
                            out[(i * codebooks + c) * topK + r] = -1;
                        }
                    }
                    continue;
                }
                // score[i, j] = h_ic . 2 k_cj - |k_cj|^2 (+ mask) = |h_ic|^2 - |h_ic - k_cj|^2 (+ mask)
                Nd4j.gemm(h.get(NDArrayIndex.point(c), NDArrayIndex.all(), NDArrayIndex.all()), keyViews[c], score,
                        false, false, 1.0, 0.0);
                score.addiRowVector(biasViews[c]);
                if (topK == 1) {
                    Nd4j.getExecutioner().exec(new ArgMax(new INDArray[] {score}, new INDArray[] {best}, false, 1));
                    long[] b = best.data().asLong();
                    for (int i = 0; i < n; i++) {
                        out[i * codebooks + c] = c * pairs + (int) b[i];
                    }
                } else {
                    score.dup('c').data().asNioFloat().get(s);
                    for (int i = 0; i < n; i++) {
                        int o = (i * codebooks + c) * topK;
                        selectTop(s, i * pairs, pairs, topK, usable, c * pairs, out, o);
                        for (int r = 0; r < topK; r++) {
                            if (out[o + r] >= 0) {
                                out[o + r] += c * pairs;
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Heads {@code [n, C*k]} as {@code [C, n, k]}: per codebook one contiguous {@code [n, k]} block. */
    private INDArray headsByCodebook(INDArray h, int n) {
        return h.reshape('c', n, codebooks, keyDim).permute(1, 0, 2).dup('c');
    }

    private boolean anyUsable(boolean[] usable, int c) {
        for (int j = 0; j < pairs; j++) {
            if (usable[c * pairs + j]) {
                return true;
            }
        }
        return false;
    }

    /** The {@code k} largest scores of {@code s[off..off+m)} (masked ones excluded; -1 when too few remain). */
    private static void selectTop(float[] s, int off, int m, int k, boolean[] usable, int usableOff, int[] out,
                                  int outOff) {
        for (int r = 0; r < k; r++) {
            out[outOff + r] = -1;
        }
        for (int j = 0; j < m; j++) {
            if (usable != null && !usable[usableOff + j]) {
                continue;
            }
            float v = s[off + j];
            int pos = k;
            while (pos > 0 && (out[outOff + pos - 1] < 0 || s[off + out[outOff + pos - 1]] < v)) {
                pos--;
            }
            if (pos < k) {
                System.arraycopy(out, outOff + pos, out, outOff + pos + 1, k - pos - 1);
                out[outOff + pos] = j;
            }
        }
    }
}
