package org.cllab.hypernets;

import java.io.IOException;
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
 * The task embedding {@code e} is an input, owned by the learner. Gradients accumulate over several
 * {@link #backward} calls (task loss plus regulariser terms) until {@link #clearGradients()}.
 */
public final class ChunkedHyperNetwork {
    private final Mlp mlp;
    private final long targetParams;
    private final int chunkDim;
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
        this.numChunks = (int) ((targetParams + chunkDim - 1) / chunkDim);
        this.embDim = embDim;
        this.chunkEmbDim = chunkEmbDim;
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = embDim + chunkEmbDim;
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = chunkDim;
        this.mlp = new Mlp(sizes, activation);
        mlp.initXavier(rng);
        float[] c = new float[numChunks * chunkEmbDim];
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) rng.nextGaussian();
        }
        chunkEmbeddings = Nd4j.create(c, new long[] {numChunks, chunkEmbDim}, DataType.FLOAT);
        mlpGrad = Nd4j.zeros(DataType.FLOAT, mlp.numParams());
        chunkGrad = Nd4j.zeros(DataType.FLOAT, numChunks, chunkEmbDim);
    }

    public int numChunks() {
        return numChunks;
    }

    /** Number of shared (unconditional) parameters: MLP weights and chunk embeddings. */
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

    public void clearGradients() {
        mlpGrad.assign(0);
        chunkGrad.assign(0);
    }

    private INDArray input(INDArray taskEmbedding) {
        INDArray e = taskEmbedding.reshape(1, embDim).repeat(0, numChunks);
        return Nd4j.hstack(e, chunkEmbeddings);
    }

    /** The flat target weights for {@code taskEmbedding} ({@code [embDim]}), caching for {@link #backward}. */
    public INDArray generate(INDArray taskEmbedding) {
        return cut(mlp.forward(input(taskEmbedding)));
    }

    /** As {@link #generate} without caching. */
    public INDArray weights(INDArray taskEmbedding) {
        return cut(mlp.output(input(taskEmbedding)));
    }

    private INDArray cut(INDArray chunks) {
        return chunks.reshape(numChunks * (long) chunkDim).get(NDArrayIndex.interval(0, targetParams));
    }

    /**
     * Back-propagates {@code dWeights} (gradient w.r.t. the weights of the last {@link #generate}): adds the shared
     * parameters' gradients to the accumulators and returns the gradient w.r.t. the task embedding.
     */
    public INDArray backward(INDArray dWeights) {
        INDArray padded = Nd4j.zeros(DataType.FLOAT, (long) numChunks * chunkDim);
        padded.get(NDArrayIndex.interval(0, targetParams)).assign(dWeights.reshape(targetParams));
        INDArray dIn = mlp.backwardToInput(padded.reshape(numChunks, chunkDim));
        mlpGrad.addi(mlp.gradient());
        chunkGrad.addi(dIn.get(NDArrayIndex.all(), NDArrayIndex.interval(embDim, embDim + chunkEmbDim)));
        return dIn.get(NDArrayIndex.all(), NDArrayIndex.interval(0, embDim)).sum(0);
    }

    public void save(String prefix, StateWriter out) throws IOException {
        out.putArray(prefix + "/mlp", mlp.params()).putArray(prefix + "/chunk_embeddings", chunkEmbeddings);
    }

    public void load(String prefix, StateReader in) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            mlp.params().assign(in.array(prefix + "/mlp").castTo(DataType.FLOAT).reshape(mlp.numParams()));
            chunkEmbeddings.assign(in.array(prefix + "/chunk_embeddings").castTo(DataType.FLOAT)
                    .reshape(numChunks, chunkEmbDim));
        }
    }
}
