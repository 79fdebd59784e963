package org.cllab.core.loop;

import org.cllab.core.learners.MinibatchSampler;

/**
 * How many optimiser steps a task gets: whole epochs over the task's minibatches, or a fixed number of iterations
 * (which run through epochs in turn, each in a fresh order, the last one cut short).
 */
public record Budget(int epochs, long iterations) {
    public Budget {
        if ((epochs > 0) == (iterations > 0) || epochs < 0 || iterations < 0) {
            throw new IllegalArgumentException("a budget is epochs > 0 or iterations > 0, got epochs " + epochs
                    + ", iterations " + iterations);
        }
    }

    public static Budget epochs(int epochs) {
        return new Budget(epochs, 0);
    }

    public static Budget iterations(long iterations) {
        return new Budget(0, iterations);
    }

    /** Number of steps over {@code sampler} with minibatches of {@code batchSize}. */
    public long steps(MinibatchSampler sampler, int batchSize) {
        return iterations > 0 ? iterations : epochs * sampler.batchesPerEpoch(batchSize);
    }
}
