package org.cllab.hypernets;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.cllab.core.nn.CpuBlas;
import org.cllab.core.nn.Gemm;
import org.cllab.core.rng.Rng;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The dependency-preserving RNN hypernetwork (Chandra et al., WACV 2023), as we reconstruct it from the abstract:
 * an LSTM runs {@code N_C} steps; step {@code i} reads {@code [e ; c_i]} (task embedding, learned chunk embedding)
 * and its hidden state, and a linear layer maps the hidden state to chunk {@code i}. Every chunk therefore depends
 * on all earlier chunks of the same weight set (through the recurrent state), unlike the independent chunks of
 * HNET. <b>Our reconstruction</b>: the input layout, the single LSTM layer, the linear read-out and the
 * initialisation (Xavier-uniform weights, zero biases except forget-gate bias 1, chunk embeddings N(0, 1)).
 *
 * <p>The forward pass is batched over tasks (rows); the input projection of all steps and the read-out are single
 * matrix products on ND4J, while the short sequential recurrence, its {@code [B, H] x [H, 4H]} recurrent products
 * included, runs in plain Java loops over float arrays (each step is a 1-10 x H by H x 4H product, where a native
 * call, with the views it needs, costs more than the arithmetic). Backward is hand-written BPTT, checked by finite
 * differences. {@link #grow} adds hidden
 * units whose outgoing weights (recurrent rows and read-out rows) are zero, so the weights generated for every
 * embedding are unchanged by growth.
 */
public final class RnnHyperNetwork implements HyperNetwork {
    private final long targetParams;
    private final int chunkDim;
    private final Chunks chunks;
    private final int numChunks;
    private final int embDim;
    private final int chunkEmbDim;
    private int hidden;
    // parameters
    private INDArray wx;    // [d, 4H]  gate order: input, forget, cell, output
    private INDArray wh;    // [H, 4H]
    private INDArray b;     // [1, 4H]
    private INDArray wo;    // [H, chunkDim]
    private INDArray bo;    // [1, chunkDim]
    private INDArray chunkEmb; // [N_C, ce]
    private List<INDArray> grads;
    // forward cache
    private INDArray cacheX;          // [N_C * B, d] step-major
    private float[] cacheGates;       // [N_C * B, 4H] activated gates, step-major
    private float[] cacheCells;       // [N_C * B, H]
    private float[] cacheTanhCells;   // [N_C * B, H] tanh of the cells, reused by backward
    private INDArray cacheHidden;     // [N_C * B, H]
    private int cacheB;

    public RnnHyperNetwork(long targetParams, int embDim, int chunkEmbDim, int hidden, int chunkDim, Rng rng) {
        this.targetParams = targetParams;
        this.chunkDim = chunkDim;
        this.chunks = new Chunks(targetParams, chunkDim);
        this.numChunks = chunks.count;
        this.embDim = embDim;
        this.chunkEmbDim = chunkEmbDim;
        this.hidden = hidden;
        int d = embDim + chunkEmbDim;
        wx = xavier(rng, d, 4 * hidden);
        wh = xavier(rng, hidden, 4 * hidden);
        b = Nd4j.zeros(DataType.FLOAT, 1, 4 * hidden);
        b.get(NDArrayIndex.all(), NDArrayIndex.interval(hidden, 2 * hidden)).assign(1.0);
        wo = xavier(rng, hidden, chunkDim);
        bo = Nd4j.zeros(DataType.FLOAT, 1, chunkDim);
        chunkEmb = chunks.gaussianEmbeddings(chunkEmbDim, rng);
        allocGrads();
    }

    private static INDArray xavier(Rng rng, int in, int out) {
        double bound = Math.sqrt(6.0 / (in + out));
        float[] v = new float[in * out];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((2 * rng.nextDouble() - 1) * bound);
        }
        return Nd4j.create(v, new long[] {in, out}, DataType.FLOAT);
    }

    private void allocGrads() {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            grads = new ArrayList<>();
            for (INDArray p : params()) {
                grads.add(Nd4j.zeros(DataType.FLOAT, p.shape()));
            }
        }
    }

    private List<INDArray> params() {
        return List.of(wx, wh, b, wo, bo, chunkEmb);
    }

    public int hiddenSize() {
        return hidden;
    }

    public int numChunks() {
        return numChunks;
    }

    @Override
    public long numTargetParams() {
        return targetParams;
    }

    @Override
    public long numSharedParams() {
        return params().stream().mapToLong(INDArray::length).sum();
    }

    @Override
    public List<INDArray> sharedParams() {
        return params().stream().map(p -> p.reshape(p.length())).toList();
    }

    @Override
    public List<INDArray> sharedGradients() {
        return grads.stream().map(g -> g.reshape(g.length())).toList();
    }

    @Override
    public List<String> sharedParamNames() {
        return List.of("wx", "wh", "b", "wo", "bo", "chunk_embeddings");
    }

    @Override
    public void clearGradients() {
        grads.forEach(g -> g.assign(0));
    }

    /** Step-major inputs: rows {@code i * B + r} hold {@code [e_r ; c_i]}. */
    private INDArray input(INDArray embeddings) {
        int bsz = (int) embeddings.size(0);
        INDArray e = embeddings.reshape(1, bsz, embDim).repeat(0, numChunks).reshape((long) numChunks * bsz, embDim);
        INDArray c = chunkEmb.reshape(numChunks, 1, chunkEmbDim).repeat(1, bsz)
                .reshape((long) numChunks * bsz, chunkEmbDim);
        return Nd4j.hstack(e, c);
    }

    private INDArray run(INDArray embeddings, boolean cache) {
        int bsz = (int) embeddings.size(0);
        int hd = hidden;
        int g4 = 4 * hd;
        INDArray x = input(embeddings);
        // the input projection of every step in one product; the recurrent term of step i (a [B, H] x [H, 4H]
        // product, B <= a few task embeddings) is added per step (see Recurrent)
        float[] pre = Gemm.product(x, wx).addiRowVector(b).dup('c').data().asFloat(); // [N_C * B, 4H], step-major
        float[] hid = new float[numChunks * bsz * hd];
        float[] gateAct = new float[numChunks * bsz * g4];
        float[] cell = new float[numChunks * bsz * hd];
        float[] tanhCell = new float[numChunks * bsz * hd];
        try (Recurrent rec = new Recurrent(wh, bsz * hd, bsz * g4)) {
            boolean direct = rec.direct();
            float[] whA = rec.javaWeights();
            float[] acc = new float[g4];
            float[] acc2 = new float[g4];
            for (int i = 0; i < numChunks; i++) {
                if (i > 0 && direct) {
                    // pre[step i] += h_{i-1} W_h, the [B, 4H] c-order product: column-major (W_h^T h_{i-1}^T), beta 1
                    rec.product(false, g4, bsz, hd, hid, (i - 1) * bsz * hd, 1f, pre, i * bsz * g4);
                }
                for (int r = 0; r < bsz; r++) {
                    int row = i * bsz + r;
                    int go = row * g4;
                    int co = row * hd;
                    int cp = i > 0 ? ((i - 1) * bsz + r) * hd : -1;
                    if (i > 0 && !direct) {
                        // pre[row] += h_{i-1, r} W_h, summed as the BLAS kernel sums it (blasPairRows)
                        java.util.Arrays.fill(acc, 0f);
                        boolean pairs = r < blasPairRows(bsz);
                        if (pairs) {
                            java.util.Arrays.fill(acc2, 0f);
                        }
                        for (int u = 0; u < hd; u++) {
                            float hu = hid[cp + u];
                            int wo = u * g4;
                            float[] a = pairs && (u & 1) == 1 ? acc2 : acc;
                            for (int j = 0; j < g4; j++) {
                                a[j] = Math.fma(hu, whA[wo + j], a[j]);
                            }
                        }
                        for (int j = 0; j < g4; j++) {
                            pre[go + j] += pairs ? acc[j] + acc2[j] : acc[j];
                        }
                    }
                    for (int u = 0; u < hd; u++) {
                        float ig = sigmoid(pre[go + u]);
                        float fg = sigmoid(pre[go + hd + u]);
                        float gg = tanh(pre[go + 2 * hd + u]);
                        float og = sigmoid(pre[go + 3 * hd + u]);
                        gateAct[go + u] = ig;
                        gateAct[go + hd + u] = fg;
                        gateAct[go + 2 * hd + u] = gg;
                        gateAct[go + 3 * hd + u] = og;
                        float c = ig * gg + (cp >= 0 ? fg * cell[cp + u] : 0f);
                        float tc = tanh(c);
                        cell[co + u] = c;
                        tanhCell[co + u] = tc;
                        hid[co + u] = og * tc;
                    }
                }
            }
        }
        INDArray hAll = Nd4j.createUninitialized(DataType.FLOAT, (long) numChunks * bsz, hd);
        hAll.data().asNioFloat().put(0, hid);
        if (cache) {
            cacheX = x;
            cacheGates = gateAct;
            cacheCells = cell;
            cacheTanhCells = tanhCell;
            cacheHidden = hAll;
            cacheB = bsz;
        }
        INDArray out = Gemm.product(hAll, wo).addiRowVector(bo); // [N_C * B, chunkDim], step-major
        // reorder to task-major [B, N_C * chunkDim] and cut (a view)
        INDArray perTask = out.dup('c').reshape(numChunks, bsz, chunkDim).permute(1, 0, 2).dup('c')
                .reshape(bsz, (long) numChunks * chunkDim);
        return perTask.get(NDArrayIndex.all(), NDArrayIndex.interval(0, targetParams));
    }

    /**
     * {@code W_h} for the per-step recurrent products of one pass: a c-order copy, and with {@link CpuBlas} a pointer
     * to it and two off-heap vectors for a step's operand and result (freed on close); without it the copy as a Java
     * array for the loops.
     */
    private static final class Recurrent implements AutoCloseable {
        private final INDArray w; // [H, 4H] c order, held while the pointer to it is in use
        private final FloatPointer wP;
        private final FloatPointer in;
        private final FloatPointer out;

        Recurrent(INDArray wh, long inSize, long outSize) {
            this.w = wh.dup('c');
            boolean direct = CpuBlas.available();
            this.wP = direct ? CpuBlas.pointer(w) : null;
            this.in = direct ? new FloatPointer(inSize) : null;
            this.out = direct ? new FloatPointer(outSize) : null;
        }

        boolean direct() {
            return wP != null;
        }

        /** The weights as a Java array for the loops (null with direct calls). */
        float[] javaWeights() {
            return wP == null ? w.data().asFloat() : null;
        }

        /**
         * {@code res[resOff..] = op(W_h) x + beta res} in column-major terms ({@code m x n}, inner size {@code k}, the
         * operand {@code x[xOff..]} of {@code n} columns of {@code k}), i.e. the c-order step product ND4J's matmul
         * computed with these arguments.
         */
        void product(boolean transposeW, int m, int n, int k, float[] x, int xOff, float beta, float[] res,
                     int resOff) {
            in.put(x, xOff, n * k);
            if (beta != 0f) {
                out.put(res, resOff, m * n);
            }
            CpuBlas.sgemm(transposeW, false, m, n, k, 1f, wP, (int) w.size(1), in, k, beta, out, m);
            out.get(res, resOff, m * n);
        }

        @Override
        public void close() {
            if (wP != null) {
                in.deallocate();
                out.deallocate();
            }
            java.lang.ref.Reference.reachabilityFence(w);
        }
    }

    /**
     * The recurrent products of one step are {@code [B, H] x [H, 4H]} and {@code [B, 4H] x [4H, H]}. With OpenBLAS
     * ({@link CpuBlas}) each is one direct {@code cblas_sgemm} call with the arguments ND4J's matmul used for these
     * c-order results (about a microsecond; {@code Nd4j.gemm} and its row views cost tens). Without it they run in
     * the Java loops, summed in the order of the OpenBLAS kernel that per-step BLAS call used on x86-64 (Haswell / Zen
     * kernels): the rows of each complete group of four are summed in two interleaved chains (even and odd terms,
     * fused multiply-adds, added at the end), the remaining {@code B mod 4} rows in one chain. Both give the same
     * generated weights bit for bit on such CPUs (the Java loops were checked for B = 1..10 against
     * {@code Nd4j.gemm}; whole runs with the direct calls against the Java loops); elsewhere they may differ in the
     * last bits.
     */
    private static int blasPairRows(int bsz) {
        return bsz - bsz % 4;
    }

    private static float sigmoid(float z) {
        return (float) (1.0 / (1.0 + Math.exp(-z)));
    }

    /** tanh through the exponential (intrinsified), several times faster than {@link Math#tanh} on JDK 17. */
    private static float tanh(float z) {
        if (z > 15f) {
            return 1f;
        }
        if (z < -15f) {
            return -1f;
        }
        double e = Math.exp(2.0 * z);
        return (float) ((e - 1.0) / (e + 1.0));
    }

    @Override
    public INDArray generate(INDArray embeddings) {
        return run(embeddings, true);
    }

    @Override
    public INDArray weights(INDArray embeddings) {
        return run(embeddings, false);
    }

    @Override
    public INDArray backward(INDArray dWeights) {
        if (cacheGates == null) {
            throw new IllegalStateException("backward() without generate()");
        }
        int bsz = cacheB;
        int hd = hidden;
        int g4 = 4 * hd;
        INDArray dOut = chunks.pad(dWeights).reshape(bsz, numChunks, chunkDim).permute(1, 0, 2).dup('c')
                .reshape((long) numChunks * bsz, chunkDim);
        grads.get(3).addi(Gemm.product(cacheHidden, dOut, true, false));
        grads.get(4).addi(dOut.sum(0).reshape(1, chunkDim));
        float[] dhAll = Gemm.product(dOut, wo, false, true).dup('c').data().asFloat(); // [N_C * B, H]
        float[] gate = cacheGates;
        float[] cell = cacheCells;
        float[] tanhCell = cacheTanhCells;
        float[] dA = new float[numChunks * bsz * g4];
        // dh_{i-1} = da_i W_h^T per step (a [B, 4H] x [4H, H] product)
        try (Recurrent rec = new Recurrent(wh, bsz * g4, bsz * hd)) {
            boolean direct = rec.direct();
            float[] whA = rec.javaWeights();
            float[] dhNext = new float[bsz * hd];
            float[] dcNext = new float[bsz * hd];
            for (int i = numChunks - 1; i >= 0; i--) {
                boolean last = i == numChunks - 1;
                for (int r = 0; r < bsz; r++) {
                    int row = i * bsz + r;
                    int go = row * g4;
                    int co = row * hd;
                    int cp = i > 0 ? ((i - 1) * bsz + r) * hd : -1;
                    for (int u = 0; u < hd; u++) {
                        float ig = gate[go + u];
                        float fg = gate[go + hd + u];
                        float gg = gate[go + 2 * hd + u];
                        float og = gate[go + 3 * hd + u];
                        float tc = tanhCell[co + u];
                        float dh = dhAll[co + u] + (last ? 0f : dhNext[r * hd + u]);
                        float dc = dh * og * (1 - tc * tc) + dcNext[r * hd + u];
                        float cPrev = cp >= 0 ? cell[cp + u] : 0f;
                        dA[go + u] = dc * gg * ig * (1 - ig);
                        dA[go + hd + u] = dc * cPrev * fg * (1 - fg);
                        dA[go + 2 * hd + u] = dc * ig * (1 - gg * gg);
                        dA[go + 3 * hd + u] = dh * tc * og * (1 - og);
                        dcNext[r * hd + u] = dc * fg;
                    }
                }
                if (i > 0 && direct) {
                    // dh_{i-1} = da_i W_h^T, the [B, H] c-order product: column-major (W_h da_i^T)
                    rec.product(true, hd, bsz, g4, dA, i * bsz * g4, 0f, dhNext, 0);
                } else if (i > 0) {
                    for (int r = 0; r < bsz; r++) {
                        int go = (i * bsz + r) * g4;
                        boolean pairs = r < blasPairRows(bsz);
                        for (int u = 0; u < hd; u++) {
                            int wo = u * g4;
                            float s0 = 0f;
                            float s1 = 0f;
                            if (pairs) {
                                int j = 0;
                                for (; j + 1 < g4; j += 2) {
                                    s0 = Math.fma(dA[go + j], whA[wo + j], s0);
                                    s1 = Math.fma(dA[go + j + 1], whA[wo + j + 1], s1);
                                }
                                if (j < g4) {
                                    s0 = Math.fma(dA[go + j], whA[wo + j], s0);
                                }
                                dhNext[r * hd + u] = s0 + s1;
                            } else {
                                for (int j = 0; j < g4; j++) {
                                    s0 = Math.fma(dA[go + j], whA[wo + j], s0);
                                }
                                dhNext[r * hd + u] = s0;
                            }
                        }
                    }
                }
            }
        }
        INDArray dAm = Nd4j.createUninitialized(DataType.FLOAT, (long) numChunks * bsz, g4);
        dAm.data().asNioFloat().put(0, dA);
        if (numChunks > 1) {
            // dW_h = sum_i h_{i-1}^T da_i: one product over all steps after the first
            long split = (long) bsz;
            long rows = (long) numChunks * bsz;
            INDArray hPrev = cacheHidden.get(NDArrayIndex.interval(0, rows - split), NDArrayIndex.all());
            INDArray dANext = dAm.get(NDArrayIndex.interval(split, rows), NDArrayIndex.all());
            grads.get(1).addi(Gemm.product(hPrev, dANext, true, false));
        }
        grads.get(0).addi(Gemm.product(cacheX, dAm, true, false));
        grads.get(2).addi(dAm.sum(0).reshape(1, g4));
        INDArray dX = Gemm.product(dAm, wx, false, true); // [N_C * B, d]
        INDArray dC = dX.get(NDArrayIndex.all(), NDArrayIndex.interval(embDim, embDim + chunkEmbDim)).dup('c')
                .reshape(numChunks, bsz, chunkEmbDim).sum(1);
        grads.get(5).addi(dC);
        cacheGates = null;
        return dX.get(NDArrayIndex.all(), NDArrayIndex.interval(0, embDim)).dup('c')
                .reshape(numChunks, bsz, embDim).sum(0);
    }

    /**
     * Adds {@code units} hidden units. Their incoming weights (input and recurrent columns of their gates) are drawn
     * like the initial ones; their outgoing weights (their rows of the recurrent matrix and of the read-out) are
     * zero, so every embedding generates exactly the weights it generated before. Gradient accumulators are
     * re-allocated; optimiser state must be rebuilt by the caller.
     */
    public void grow(int units, Rng rng) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            int h0 = hidden;
            int h1 = hidden + units;
            int d = embDim + chunkEmbDim;
            INDArray nwx = Nd4j.zeros(DataType.FLOAT, d, 4L * h1);
            INDArray nwh = Nd4j.zeros(DataType.FLOAT, h1, 4L * h1);
            INDArray nb = Nd4j.zeros(DataType.FLOAT, 1, 4L * h1);
            INDArray nwo = Nd4j.zeros(DataType.FLOAT, h1, chunkDim);
            INDArray freshX = xavier(rng, d, 4 * h1);
            INDArray freshH = xavier(rng, h1, 4 * h1);
            for (int gate = 0; gate < 4; gate++) {
                // old units keep their columns; new units' columns are fresh (incoming weights)
                nwx.get(NDArrayIndex.all(), NDArrayIndex.interval((long) gate * h1, (long) gate * h1 + h0))
                        .assign(wx.get(NDArrayIndex.all(), NDArrayIndex.interval((long) gate * h0, (long) (gate + 1) * h0)));
                nwx.get(NDArrayIndex.all(), NDArrayIndex.interval((long) gate * h1 + h0, (long) (gate + 1) * h1))
                        .assign(freshX.get(NDArrayIndex.all(), NDArrayIndex.interval((long) gate * h1 + h0,
                                (long) (gate + 1) * h1)));
                // recurrent: rows = source unit (outgoing), columns = target gate unit
                nwh.get(NDArrayIndex.interval(0, h0), NDArrayIndex.interval((long) gate * h1, (long) gate * h1 + h0))
                        .assign(wh.get(NDArrayIndex.all(), NDArrayIndex.interval((long) gate * h0, (long) (gate + 1) * h0)));
                nwh.get(NDArrayIndex.interval(0, h0), NDArrayIndex.interval((long) gate * h1 + h0, (long) (gate + 1) * h1))
                        .assign(freshH.get(NDArrayIndex.interval(0, h0), NDArrayIndex.interval((long) gate * h1 + h0,
                                (long) (gate + 1) * h1)));
                // rows h0..h1 (outgoing recurrent weights of the new units) stay zero
                nb.get(NDArrayIndex.all(), NDArrayIndex.interval((long) gate * h1, (long) gate * h1 + h0))
                        .assign(b.get(NDArrayIndex.all(), NDArrayIndex.interval((long) gate * h0, (long) (gate + 1) * h0)));
                if (gate == 1) {
                    nb.get(NDArrayIndex.all(), NDArrayIndex.interval((long) gate * h1 + h0, (long) (gate + 1) * h1))
                            .assign(1.0);
                }
            }
            nwo.get(NDArrayIndex.interval(0, h0), NDArrayIndex.all()).assign(wo); // new rows stay zero
            wx = nwx;
            wh = nwh;
            b = nb;
            wo = nwo;
            hidden = h1;
            allocGrads();
        }
    }

    @Override
    public void save(String prefix, StateWriter out) throws IOException {
        out.putLong(prefix + "/hidden", hidden).putArray(prefix + "/wx", wx).putArray(prefix + "/wh", wh)
                .putArray(prefix + "/b", b).putArray(prefix + "/wo", wo).putArray(prefix + "/bo", bo)
                .putArray(prefix + "/chunk_embeddings", chunkEmb);
    }

    @Override
    public void load(String prefix, StateReader in) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            hidden = (int) in.getLong(prefix + "/hidden");
            wx = in.array(prefix + "/wx").castTo(DataType.FLOAT);
            wh = in.array(prefix + "/wh").castTo(DataType.FLOAT);
            b = in.array(prefix + "/b").castTo(DataType.FLOAT);
            wo = in.array(prefix + "/wo").castTo(DataType.FLOAT);
            bo = in.array(prefix + "/bo").castTo(DataType.FLOAT);
            chunkEmb = in.array(prefix + "/chunk_embeddings").castTo(DataType.FLOAT);
            allocGrads();
        }
    }
}
