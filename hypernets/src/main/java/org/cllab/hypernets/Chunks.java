package org.cllab.hypernets;

import org.cllab.core.rng.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * How a target's {@code P} weights are cut into {@code N_C = ceil(P / chunkDim)} chunks, shared by the chunked and
 * the recurrent hypernetwork: chunk-embedding initialisation, cutting generated chunks to {@code P} weights and
 * zero-padding weight gradients back to whole chunks.
 */
final class Chunks {
    final long targetParams;
    final int chunkDim;
    final int count;

    Chunks(long targetParams, int chunkDim) {
        if (targetParams <= 0 || chunkDim <= 0) {
            throw new IllegalArgumentException("target size and chunk size must be positive");
        }
        this.targetParams = targetParams;
        this.chunkDim = chunkDim;
        this.count = (int) ((targetParams + chunkDim - 1) / chunkDim);
    }

    /** {@code [N_C, dim]} chunk embeddings drawn from {@code N(0, 1)}. */
    INDArray gaussianEmbeddings(int dim, Rng rng) {
        float[] c = new float[count * dim];
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) rng.nextGaussian();
        }
        return Nd4j.create(c, new long[] {count, dim}, DataType.FLOAT);
    }

    /** Task-major chunks {@code [B, N_C * chunkDim]} cut to the first {@code P} weights: a new {@code [B, P]}. */
    INDArray cut(INDArray taskMajor) {
        return taskMajor.get(NDArrayIndex.all(), NDArrayIndex.interval(0, targetParams)).dup('c');
    }

    /** Weight gradients {@code [B, P]} zero-padded to whole chunks: a new {@code [B, N_C * chunkDim]}. */
    INDArray pad(INDArray dWeights) {
        long total = (long) count * chunkDim;
        INDArray padded = Nd4j.createUninitialized(DataType.FLOAT, dWeights.size(0), total);
        padded.get(NDArrayIndex.all(), NDArrayIndex.interval(0, targetParams)).assign(dWeights);
        if (total > targetParams) {
            padded.get(NDArrayIndex.all(), NDArrayIndex.interval(targetParams, total)).assign(0);
        }
        return padded;
    }
}
