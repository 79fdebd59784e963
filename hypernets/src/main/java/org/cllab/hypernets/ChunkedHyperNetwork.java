package org.cllab.hypernets;

import java.io.IOException;
import java.util.List;
import org.cllab.core.nn.Activation;
import org.cllab.core.nn.Mlp;
import org.cllab.core.rng.Rng;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The chunked MLP hypernetwork of HNET: {@code chunk_i = MLP([e ; c_i])} for {@code i = 1..N_C}, concatenated and cut
 * to the target's size. All chunks are generated in one batched pass (the chunk embeddings are the rows of one
 * matrix), so a full weight set costs three small matrix products.
 *
 * <p>Shared parameters: the MLP (Xavier-uniform weights, zero biases) and the chunk embeddings ({@code N(0, 1)}).
 * The task embeddings are inputs, owned by the learner; a batch of B embeddings is one pass over {@code B * N_C}
 * rows. Gradients accumulate over {@link #backward} calls until {@link #clearGradients()}.
 */
public final class ChunkedHyperNetwork implements HyperNetwork {
    private final Mlp mlp;
    private final long targetParams;
    private final int chunkDim;
    private final Chunks chunks;
    private final int numChunks;
    private final int embDim;
    private final int chunkEmbDim;
    private INDArray chunkEmbeddings;
    private final INDArray mlpGrad;
    private final INDArray chunkGrad;

    /**
     * @param targetParams number of weights to generate
     * @param embDim       task-embedding size
     * @param chunkEmbDim  chunk-embedding size
     * @param hidden       hidden layer sizes of the hypernetwork MLP
     * @param chunkDim     weights per chunk
     * @param activation   hidden activation
     */
    public ChunkedHyperNetwork(long targetParams, int embDim, int chunkEmbDim, int[] hidden, int chunkDim,
                               Activation activation, Rng rng) {
        this.targetParams = targetParams;
        this.chunkDim = chunkDim;
        this.chunks = new Chunks(targetParams, chunkDim);
        this.numChunks = chunks.count;
        this.embDim = embDim;
        this.chunkEmbDim = chunkEmbDim;
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = embDim + chunkEmbDim;
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = chunkDim;
        this.mlp = new Mlp(sizes, activation);
        mlp.initXavier(rng);
        chunkEmbeddings = chunks.gaussianEmbeddings(chunkEmbDim, rng);
        mlpGrad = Nd4j.zeros(DataType.FLOAT, mlp.numParams());
        chunkGrad = Nd4j.zeros(DataType.FLOAT, numChunks, chunkEmbDim);
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
        return mlp.numParams() + chunkEmbeddings.length();
    }

    /** The hypernetwork MLP's flat parameters (live). */
    public INDArray mlpParams() {
        return mlp.params();
    }

    /** Chunk embeddings {@code [N_C, chunkEmbDim]} (live). */
    public INDArray chunkEmbeddings() {
        return chunkEmbeddings;
    }

    public INDArray mlpGradient() {
        return mlpGrad;
    }

    public INDArray chunkGradient() {
        return chunkGrad;
    }

    @Override
    public List<INDArray> sharedParams() {
        return List.of(mlp.params(), chunkEmbeddings.reshape(chunkEmbeddings.length()));
    }

    @Override
    public List<INDArray> sharedGradients() {
        return List.of(mlpGrad, chunkGrad.reshape(chunkGrad.length()));
    }

    @Override
    public List<String> sharedParamNames() {
        return List.of("mlp", "chunk_embeddings");
    }

    @Override
    public void clearGradients() {
        mlpGrad.assign(0);
        chunkGrad.assign(0);
    }

    /** Rows {@code [e_b ; c_i]} for b = 0..B-1, i = 0..N_C-1 (task-major). */
    private INDArray input(INDArray embeddings) {
        int b = (int) embeddings.size(0);
        INDArray e = embeddings.reshape(b, 1, embDim).repeat(1, numChunks).reshape((long) b * numChunks, embDim);
        INDArray c = chunkEmbeddings.reshape(1, numChunks, chunkEmbDim).repeat(0, b)
                .reshape((long) b * numChunks, chunkEmbDim);
        return Nd4j.hstack(e, c);
    }

    @Override
    public INDArray generate(INDArray embeddings) {
        return cut(mlp.forward(input(embeddings)), (int) embeddings.size(0));
    }

    @Override
    public INDArray weights(INDArray embeddings) {
        return cut(mlp.output(input(embeddings)), (int) embeddings.size(0));
    }

    /** The MLP's c-order {@code [B * N_C, chunkDim]} output as {@code [B, P]}: a view, no copy. */
    private INDArray cut(INDArray chunks, int b) {
        return chunks.reshape('c', b, (long) numChunks * chunkDim).get(NDArrayIndex.all(),
                NDArrayIndex.interval(0, targetParams));
    }

    @Override
    public INDArray backward(INDArray dWeights) {
        int b = (int) dWeights.size(0);
        INDArray dIn = mlp.backwardToInput(chunks.pad(dWeights).reshape((long) b * numChunks, chunkDim));
        mlpGrad.addi(mlp.gradient());
        INDArray dC = dIn.get(NDArrayIndex.all(), NDArrayIndex.interval(embDim, embDim + chunkEmbDim)).dup('c')
                .reshape(b, numChunks, chunkEmbDim).sum(0);
        chunkGrad.addi(dC);
        return dIn.get(NDArrayIndex.all(), NDArrayIndex.interval(0, embDim)).dup('c')
                .reshape(b, numChunks, embDim).sum(1);
    }

    @Override
    public void save(String prefix, StateWriter out) throws IOException {
        out.putArray(prefix + "/mlp", mlp.params()).putArray(prefix + "/chunk_embeddings", chunkEmbeddings);
    }

    @Override
    public void load(String prefix, StateReader in) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            mlp.params().assign(in.array(prefix + "/mlp").castTo(DataType.FLOAT).reshape(mlp.numParams()));
            chunkEmbeddings.assign(in.array(prefix + "/chunk_embeddings").castTo(DataType.FLOAT)
                    .reshape(numChunks, chunkEmbDim));
        }
    }
}
