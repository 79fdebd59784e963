package org.cllab.hypernets;

import org.cllab.core.nn.Activation;

/**
 * Hyper-parameters of HNET. Defaults of hypnettorch's Split-MNIST example: hypernetwork 100,100, chunks of 750,
 * task and chunk embeddings of 8, beta 0.01, 1001 iterations per task (with Adam lr 1e-4, batch 32 in the MLP
 * spec).
 *
 * @param hidden      hypernetwork hidden layers
 * @param activation  hypernetwork hidden activation
 * @param chunkDim    weights generated per chunk
 * @param taskEmbDim  task-embedding size
 * @param chunkEmbDim chunk-embedding size
 * @param beta        output-regulariser strength
 * @param iterations  optimiser steps per task (0: use the MLP spec's epochs)
 */
public record HnetSpec(int[] hidden, Activation activation, int chunkDim, int taskEmbDim, int chunkEmbDim, double beta,
                       int iterations) {
    public HnetSpec {
        hidden = hidden.clone();
        if (chunkDim <= 0 || taskEmbDim <= 0 || chunkEmbDim <= 0 || beta < 0 || iterations < 0) {
            throw new IllegalArgumentException("invalid HNET spec");
        }
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }
}
