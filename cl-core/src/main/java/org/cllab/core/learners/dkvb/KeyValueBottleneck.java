package org.cllab.core.learners.dkvb;

import org.bytedeco.javacpp.FloatPointer;
import org.cllab.core.nn.CpuBlas;
import org.cllab.core.nn.CpuThreads;
import org.cllab.core.nn.Gemm;
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
 * Euclidean distance), optionally only among keys marked usable. Per codebook, the scores {@code 2 h.k - |k|^2}
 * (the squared distance up to {@code |h|^2}, negated) of all heads against all keys are the matrix product
 * {@code H_c (2 K_c)^T} plus the row {@code -|K_c|^2}, which also carries the mask of unusable keys; the row is added
 * in the Java pass that keeps the first maximum per sample (or selects the top k). Top-1 on the CPU backend computes
 * the product in cache-sized tiles through direct OpenBLAS calls ({@link #nearestTiled}, codebooks split over
 * {@link CpuThreads}); otherwise (top-k, no OpenBLAS) one ND4J GEMM per codebook writes all scores into one reused
 * f-order buffer. Doubling the keys is exact and the Java sum is the one float addition the earlier broadcast made,
 * so the ND4J search gives bit for bit the scores of {@code 2 (H_c K_c^T)} plus the row; the tiles' products round
 * some scores differently in the last bit (indices can differ only at near-ties).
 *
 * <p>Random projections follow the paper: {@code P_c ~ N(0,1)^{d x k}}, every column L2-normalised over the
 * {@code d} input dimensions, fixed for good.
 */
public final class KeyValueBottleneck {
    private static final float MASKED = -1e30f;
    /** Samples per block of the tiled search. */
    private static final int SAMPLE_BLOCK = 256;
    /** Keys per tile of the tiled search (halved until the product runs single-threaded in OpenBLAS). */
    private static final int KEY_TILE = 64;
    /** Samples per thread below which a top-k selection is not split over threads. */
    private static final int MIN_SAMPLES_PER_THREAD = 32;

    private final int featureDim;
    private final int codebooks;
    private final int pairs;
    private final int keyDim;
    private final DkvbSpec.Split split;
    private final INDArray projection; // [d, C*k] or null for CHUNK
    private final float[] keys; // [C][M][k]
    private INDArray keys2T; // [C, k, M]: per codebook twice the keys, transposed
    private INDArray[] keyViews; // per codebook the [k, M] block of keys2T
    private final float[] bias; // [C][M]: -|k_j|^2 (+ mask)
    private INDArray keysStaging; // [C, M, k]: twice the keys, off-heap
    private final float[] negNorms; // [C][M]: -|k_j|^2 without mask
    private boolean[] maskedAs; // the usable mask the bias rows hold (null: none)
    private boolean direct = CpuBlas.available(); // top-1 through the tiled direct-BLAS search

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
        this.bias = new float[codebooks * pairs];
        this.negNorms = new float[codebooks * pairs];
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
        for (int q = 0; q < negNorms.length; q++) {
            double s = 0;
            for (int u = 0; u < keyDim; u++) {
                float v = keys[q * keyDim + u];
                s += (double) v * v;
            }
            negNorms[q] = (float) -s;
        }
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (keys2T == null) {
                keys2T = Nd4j.create(DataType.FLOAT, codebooks, keyDim, pairs);
                keysStaging = Nd4j.create(DataType.FLOAT, codebooks, pairs, keyDim);
                keyViews = new INDArray[codebooks];
                for (int c = 0; c < codebooks; c++) {
                    keyViews[c] = keys2T.get(NDArrayIndex.point(c), NDArrayIndex.all(), NDArrayIndex.all());
                }
            }
            keysStaging.data().asNioFloat().put(0, keys);
            keys2T.assign(keysStaging.muli(2).permute(0, 2, 1));
        }
        System.arraycopy(negNorms, 0, bias, 0, negNorms.length);
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
        for (int q = 0; q < bias.length; q++) {
            // the same float sum the broadcast of the mask onto the norms gave
            bias[q] = usable == null ? negNorms[q] : (usable[q] ? 0f : MASKED) + negNorms[q];
        }
        maskedAs = usable == null ? null : usable.clone();
    }

    /** Heads {@code [n, C*k]} (row i: head c at columns {@code c*k..c*k+k}). */
    public INDArray heads(INDArray x) {
        if (x.rank() != 2 || x.size(1) != featureDim) {
            throw new IllegalArgumentException("bottleneck expects [n, " + featureDim + "] features, got "
                    + java.util.Arrays.toString(x.shape()));
        }
        return projection == null ? x.castTo(DataType.FLOAT) : Gemm.product(x.castTo(DataType.FLOAT), projection);
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
            if (topK == 1 && direct) {
                nearestTiled(headsF(x), n, usable, out);
                return out;
            }
            INDArray h = headsByCodebook(heads(x), n);
            // f order: BLAS then sums every score exactly as the product into a new array (mmul) does
            INDArray score = Nd4j.createUninitialized(DataType.FLOAT, new long[] {n, pairs}, 'f');
            float[] all = new float[n * pairs];
            float[] best = new float[n];
            int[] arg = new int[n];
            for (int c = 0; c < codebooks; c++) {
                int boff = c * pairs;
                int cb = c;
                if (usable != null && !anyUsable(usable, c)) {
                    for (int i = 0; i < n; i++) {
                        for (int r = 0; r < topK; r++) {
                            out[(i * codebooks + c) * topK + r] = -1;
                        }
                    }
                    continue;
                }
                // score[i, j] = h_ic . 2 k_cj; f order: key j's scores of all samples are contiguous
                Nd4j.gemm(h.get(NDArrayIndex.point(c), NDArrayIndex.all(), NDArrayIndex.all()), keyViews[c], score,
                        false, false, 1.0, 0.0);
                score.data().asNioFloat().get(0, all, 0, n * pairs); // on-heap: buffer reads cost twice the scan
                if (topK == 1) {
                    scanTile(all, n, pairs, 0, bias, boff, best, arg, true);
                    for (int i = 0; i < n; i++) {
                        out[i * codebooks + c] = boff + arg[i];
                    }
                } else {
                    CpuThreads.forParts(n, MIN_SAMPLES_PER_THREAD, (from, to) -> {
                        float[] row = new float[pairs];
                        for (int i = from; i < to; i++) {
                            for (int j = 0; j < pairs; j++) {
                                row[j] = all[j * n + i] + bias[boff + j];
                            }
                            int o = (i * codebooks + cb) * topK;
                            selectTop(row, 0, pairs, topK, usable, boff, out, o);
                            for (int r = 0; r < topK; r++) {
                                if (out[o + r] >= 0) {
                                    out[o + r] += boff;
                                }
                            }
                        }
                    });
                }
            }
        }
        return out;
    }

    /**
     * Top-1 search in tiles that stay in the core's cache: per codebook, blocks of at most {@link #SAMPLE_BLOCK}
     * samples against tiles of {@code T} keys, each product a direct OpenBLAS call small enough to run on the calling
     * thread ({@code m n k <= }{@link CpuBlas#SINGLE_THREAD_MNK}), its {@code [block, T]} scores scanned at once; the
     * codebooks are split over {@link CpuThreads}. Per sample the running maximum over the tiles keeps the first of
     * equal maxima (tiles in key order, strict comparison). Without tiles the {@code [n, M]} score matrix of a codebook
     * (4 MB at the default size) goes to memory and back; that traffic, not the arithmetic, was the cost.
     */
    private void nearestTiled(INDArray h, int n, boolean[] usable, int[] out) {
        // h: [n, C k] column-major, so head c of samples i0.. is the [nb, k] block at (c k) n + i0 with leading dim n
        FloatPointer heads = CpuBlas.pointer(h);
        FloatPointer keys2 = CpuBlas.pointer(keys2T);
        int block = Math.min(n, SAMPLE_BLOCK);
        int tile = KEY_TILE;
        while (tile > 8 && (long) block * keyDim * tile > CpuBlas.SINGLE_THREAD_MNK) {
            tile /= 2;
        }
        int t = Math.min(tile, pairs);
        CpuThreads.forParts(codebooks, 1, (from, to) -> {
            FloatPointer scores = new FloatPointer((long) block * t);
            try {
                float[] s = new float[block * t];
                float[] best = new float[block];
                int[] arg = new int[block];
                for (int c = from; c < to; c++) {
                    if (usable != null && !anyUsable(usable, c)) {
                        for (int i = 0; i < n; i++) {
                            out[i * codebooks + c] = -1;
                        }
                        continue;
                    }
                    int boff = c * pairs;
                    for (int i0 = 0; i0 < n; i0 += block) {
                        int nb = Math.min(block, n - i0);
                        // [nb, k] heads (column-major, leading dim n) times the tile of doubled keys [k, t]
                        // (row-major, row length M)
                        FloatPointer a = new FloatPointer(heads).position((long) c * keyDim * n + i0);
                        for (int j0 = 0; j0 < pairs; j0 += t) {
                            int nt = Math.min(t, pairs - j0);
                            FloatPointer b = new FloatPointer(keys2).position((long) c * keyDim * pairs + j0);
                            CpuBlas.sgemm(false, true, nb, nt, keyDim, 1f, a, n, b, pairs, 0f, scores, nb);
                            scores.get(s, 0, nb * nt);
                            scanTile(s, nb, nt, j0, bias, boff, best, arg, j0 == 0);
                        }
                        for (int i = 0; i < nb; i++) {
                            out[(i0 + i) * codebooks + c] = boff + arg[i];
                        }
                    }
                }
            } finally {
                scores.deallocate();
            }
        });
    }

    /**
     * Keys {@code j0..j0+nt} of a {@code [nb, nt]} column-major score tile (key by key, all samples' scores of a key
     * contiguous): per sample the running first key of largest {@code score + bias} and that value, started afresh
     * when {@code first}. Scanning keys in order with a strict comparison keeps the first of equal maxima, as ND4J's
     * argmax did.
     */
    private static void scanTile(float[] s, int nb, int nt, int j0, float[] bias, int boff, float[] best, int[] arg,
                                 boolean first) {
        int start = 0;
        if (first) {
            float b0 = bias[boff + j0];
            for (int i = 0; i < nb; i++) {
                best[i] = s[i] + b0;
                arg[i] = j0;
            }
            start = 1;
        }
        for (int j = start; j < nt; j++) {
            float bj = bias[boff + j0 + j];
            int col = j * nb;
            for (int i = 0; i < nb; i++) {
                float v = s[col + i] + bj;
                if (v > best[i]) {
                    best[i] = v;
                    arg[i] = j0 + j;
                }
            }
        }
    }

    /**
     * Chooses the top-1 search (for tests and benchmarks): the tiled direct-BLAS one (when {@link CpuBlas} is
     * available) or the ND4J one. Both return the same indices up to last-bit differences of the scores.
     *
     * @return whether the tiled search is now used
     */
    boolean useDirectBlas(boolean on) {
        direct = on && CpuBlas.available();
        return direct;
    }

    /** Heads {@code [n, C*k]} as a contiguous f-order (column-major) array (the projection's product itself). */
    private INDArray headsF(INDArray x) {
        INDArray h = heads(x);
        return h.ordering() == 'f' && !h.isView() ? h : h.dup('f');
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
