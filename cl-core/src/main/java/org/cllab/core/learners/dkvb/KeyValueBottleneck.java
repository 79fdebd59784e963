package org.cllab.core.learners.dkvb;

import org.cllab.core.nn.StepScope;
import org.cllab.core.rng.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The frozen part of the bottleneck: the split of a feature vector into C heads and the C codebooks of M keys.
 * {@link #nearest} returns, for every sample and codebook, the indices of the {@code topK} nearest keys (squared
 * Euclidean distance), optionally only among keys marked usable. The distances are computed per codebook as one
 * matrix product {@code 2 H_c K_c^T - |K_c|^2} (ND4J), the selection in plain Java (top-k) or by ND4J's argmax
 * (top-1).
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
    private INDArray[] keysT; // per codebook [k, M]
    private INDArray[] negNorms; // per codebook [1, M]: -|key|^2

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

    /** Rebuilds the per-codebook arrays used by {@link #nearest} after the keys were changed. */
    public void keysChanged() {
        INDArray[] kt = new INDArray[codebooks];
        INDArray[] nn = new INDArray[codebooks];
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            for (int c = 0; c < codebooks; c++) {
                float[] t = new float[keyDim * pairs];
                float[] n = new float[pairs];
                for (int j = 0; j < pairs; j++) {
                    double s = 0;
                    for (int u = 0; u < keyDim; u++) {
                        float v = keys[(c * pairs + j) * keyDim + u];
                        t[u * pairs + j] = v;
                        s += (double) v * v;
                    }
                    n[j] = (float) -s;
                }
                kt[c] = Nd4j.create(t, new long[] {keyDim, pairs}, DataType.FLOAT);
                nn[c] = Nd4j.create(n, new long[] {1, pairs}, DataType.FLOAT);
            }
        }
        keysT = kt;
        negNorms = nn;
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
        if (keysT == null) {
            keysChanged();
        }
        int n = (int) x.size(0);
        int[] out = new int[n * codebooks * topK];
        try (StepScope scope = StepScope.open("dkvb")) {
            INDArray h = heads(x);
            for (int c = 0; c < codebooks; c++) {
                boolean any = true;
                float[] mask = null;
                if (usable != null) {
                    any = false;
                    mask = new float[pairs];
                    for (int j = 0; j < pairs; j++) {
                        if (usable[c * pairs + j]) {
                            any = true;
                        } else {
                            mask[j] = MASKED;
                        }
                    }
                }
                if (!any) {
                    for (int i = 0; i < n; i++) {
                        for (int r = 0; r < topK; r++) {
                            out[(i * codebooks + c) * topK + r] = -1;
                        }
                    }
                    continue;
                }
                // one workspace per codebook: its [n, M] score matrix is recycled instead of piling up
                try (StepScope inner = StepScope.open("dkvb-codebook")) {
                    INDArray hc = h.get(NDArrayIndex.all(), NDArrayIndex.interval(c * keyDim, (c + 1) * keyDim));
                    INDArray score = hc.mmul(keysT[c]).muli(2).addiRowVector(negNorms[c]);
                    if (mask != null) {
                        score.addiRowVector(Nd4j.create(mask, new long[] {1, pairs}, DataType.FLOAT));
                    }
                    if (topK == 1) {
                        long[] best = Nd4j.argMax(score, 1).data().asLong();
                        for (int i = 0; i < n; i++) {
                            out[i * codebooks + c] = c * pairs + (int) best[i];
                        }
                    } else {
                        float[] s = score.dup('c').data().asFloat();
                        for (int i = 0; i < n; i++) {
                            int o = (i * codebooks + c) * topK;
                            selectTop(s, i * pairs, pairs, topK, mask, out, o);
                            for (int r = 0; r < topK; r++) {
                                if (out[o + r] >= 0) {
                                    out[o + r] += c * pairs;
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The {@code k} largest scores of {@code s[off..off+m)} (masked ones excluded; -1 when too few remain). */
    private static void selectTop(float[] s, int off, int m, int k, float[] mask, int[] out, int outOff) {
        for (int r = 0; r < k; r++) {
            out[outOff + r] = -1;
        }
        for (int j = 0; j < m; j++) {
            if (mask != null && mask[j] != 0) {
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
