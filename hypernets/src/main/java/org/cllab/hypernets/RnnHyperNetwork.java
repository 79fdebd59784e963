package org.cllab.hypernets;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.cllab.core.rng.Rng;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The dependency-preserving RNN hypernetwork (Chandra et al., WACV 2023), as we reconstruct it from the abstract:
 * an LSTM runs {@code N_C} steps; step {@code i} reads {@code [e ; c_i]} (task embedding, learned chunk embedding)
 * and its hidden state, and a linear layer maps the hidden state to chunk {@code i}. Every chunk therefore depends
 * on all earlier chunks of the same weight set (through the recurrent state), unlike the independent chunks of
 * HNET. <b>Our reconstruction</b>: the input layout, the single LSTM layer, the linear read-out and the
 * initialisation (Xavier-uniform weights, zero biases except forget-gate bias 1, chunk embeddings N(0, 1)).
 *
 * <p>The forward pass is batched over tasks (rows), the input projection of all steps is one matrix product, only the
 * recurrence is sequential. Backward is hand-written BPTT, checked by finite differences. {@link #grow} adds hidden
 * units whose outgoing weights (recurrent rows and read-out rows) are zero, so the weights generated for every
 * embedding are unchanged by growth.
 */
public final class RnnHyperNetwork implements HyperNetwork {
    private final long targetParams;
    private final int chunkDim;
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
    private INDArray[] gates;         // per step: activated gates [B, 4H]
    private INDArray[] cells;         // per step: c_i [B, H]
    private INDArray[] hiddens;       // per step: h_i [B, H]
    private int cacheB;

    public RnnHyperNetwork(long targetParams, int embDim, int chunkEmbDim, int hidden, int chunkDim, Rng rng) {
        this.targetParams = targetParams;
        this.chunkDim = chunkDim;
        this.numChunks = (int) ((targetParams + chunkDim - 1) / chunkDim);
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
        float[] c = new float[numChunks * chunkEmbDim];
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) rng.nextGaussian();
        }
        chunkEmb = Nd4j.create(c, new long[] {numChunks, chunkEmbDim}, DataType.FLOAT);
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
        INDArray x = input(embeddings);
        INDArray xw = x.mmul(wx).addiRowVector(b); // [N_C * B, 4H]
        INDArray h = Nd4j.zeros(DataType.FLOAT, bsz, hidden);
        INDArray c = Nd4j.zeros(DataType.FLOAT, bsz, hidden);
        INDArray hAll = Nd4j.create(DataType.FLOAT, (long) numChunks * bsz, hidden);
        if (cache) {
            cacheX = x;
            gates = new INDArray[numChunks];
            cells = new INDArray[numChunks];
            hiddens = new INDArray[numChunks];
            cacheB = bsz;
        }
        int hd = hidden;
        for (int i = 0; i < numChunks; i++) {
            INDArray a = xw.get(NDArrayIndex.interval((long) i * bsz, (long) (i + 1) * bsz), NDArrayIndex.all())
                    .add(h.mmul(wh));
            INDArray ig = Transforms.sigmoid(a.get(NDArrayIndex.all(), NDArrayIndex.interval(0, hd)), true);
            INDArray fg = Transforms.sigmoid(a.get(NDArrayIndex.all(), NDArrayIndex.interval(hd, 2 * hd)), true);
            INDArray gg = Transforms.tanh(a.get(NDArrayIndex.all(), NDArrayIndex.interval(2 * hd, 3 * hd)), true);
            INDArray og = Transforms.sigmoid(a.get(NDArrayIndex.all(), NDArrayIndex.interval(3 * hd, 4 * hd)), true);
            c = fg.mul(c).addi(ig.mul(gg));
            h = og.mul(Transforms.tanh(c, true));
            hAll.get(NDArrayIndex.interval((long) i * bsz, (long) (i + 1) * bsz), NDArrayIndex.all()).assign(h);
            if (cache) {
                gates[i] = Nd4j.hstack(ig, fg, gg, og);
                cells[i] = c;
                hiddens[i] = h;
            }
        }
        INDArray out = hAll.mmul(wo).addiRowVector(bo); // [N_C * B, chunkDim], step-major
        // reorder to task-major [B, N_C * chunkDim] and cut
        INDArray perTask = out.reshape(numChunks, bsz, chunkDim).permute(1, 0, 2).dup('c')
                .reshape(bsz, (long) numChunks * chunkDim);
        return perTask.get(NDArrayIndex.all(), NDArrayIndex.interval(0, targetParams)).dup('c');
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
        if (gates == null) {
            throw new IllegalStateException("backward() without generate()");
        }
        int bsz = cacheB;
        int hd = hidden;
        INDArray padded = Nd4j.zeros(DataType.FLOAT, bsz, (long) numChunks * chunkDim);
        padded.get(NDArrayIndex.all(), NDArrayIndex.interval(0, targetParams)).assign(dWeights);
        INDArray dOut = padded.reshape(bsz, numChunks, chunkDim).permute(1, 0, 2).dup('c')
                .reshape((long) numChunks * bsz, chunkDim);
        INDArray hAll = Nd4j.vstack(hiddens);
        grads.get(3).addi(hAll.transpose().mmul(dOut));
        grads.get(4).addi(dOut.sum(0).reshape(1, chunkDim));
        INDArray dhAll = dOut.mmul(wo.transpose()); // [N_C * B, H]
        INDArray dA = Nd4j.create(DataType.FLOAT, (long) numChunks * bsz, 4L * hd);
        INDArray dhNext = Nd4j.zeros(DataType.FLOAT, bsz, hd);
        INDArray dcNext = Nd4j.zeros(DataType.FLOAT, bsz, hd);
        INDArray zero = Nd4j.zeros(DataType.FLOAT, bsz, hd);
        for (int i = numChunks - 1; i >= 0; i--) {
            INDArray g = gates[i];
            INDArray ig = g.get(NDArrayIndex.all(), NDArrayIndex.interval(0, hd));
            INDArray fg = g.get(NDArrayIndex.all(), NDArrayIndex.interval(hd, 2 * hd));
            INDArray gg = g.get(NDArrayIndex.all(), NDArrayIndex.interval(2 * hd, 3 * hd));
            INDArray og = g.get(NDArrayIndex.all(), NDArrayIndex.interval(3 * hd, 4 * hd));
            INDArray cPrev = i == 0 ? zero : cells[i - 1];
            INDArray tc = Transforms.tanh(cells[i], true);
            INDArray dh = dhAll.get(NDArrayIndex.interval((long) i * bsz, (long) (i + 1) * bsz), NDArrayIndex.all())
                    .add(dhNext);
            INDArray dc = dh.mul(og).muli(tc.mul(tc).rsubi(1.0)).addi(dcNext);
            INDArray dai = dc.mul(gg).muli(ig.mul(ig.rsub(1.0)));
            INDArray daf = dc.mul(cPrev).muli(fg.mul(fg.rsub(1.0)));
            INDArray dag = dc.mul(ig).muli(gg.mul(gg).rsubi(1.0));
            INDArray dao = dh.mul(tc).muli(og.mul(og.rsub(1.0)));
            INDArray da = Nd4j.hstack(dai, daf, dag, dao);
            dA.get(NDArrayIndex.interval((long) i * bsz, (long) (i + 1) * bsz), NDArrayIndex.all()).assign(da);
            INDArray hPrev = i == 0 ? zero : hiddens[i - 1];
            grads.get(1).addi(hPrev.transpose().mmul(da));
            dhNext = da.mmul(wh.transpose());
            dcNext = dc.mul(fg);
        }
        grads.get(0).addi(cacheX.transpose().mmul(dA));
        grads.get(2).addi(dA.sum(0).reshape(1, 4L * hd));
        INDArray dX = dA.mmul(wx.transpose()); // [N_C * B, d]
        INDArray dC = dX.get(NDArrayIndex.all(), NDArrayIndex.interval(embDim, embDim + chunkEmbDim)).dup('c')
                .reshape(numChunks, bsz, chunkEmbDim).sum(1);
        grads.get(5).addi(dC);
        gates = null;
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
