package org.cllab.core.learners.dkvb;

import java.util.Locale;

/**
 * Immutable hyper-parameters of the discrete key-value bottleneck. Defaults of the paper: C = 256 codebooks,
 * M = 4096 pairs each, key dimension 14, top-1, mean decoder, label smoothing 0.1, SGD lr 0.3 on the values,
 * gradient-norm clip 1.0, batch 256; key init by EMA k-means with decay 0.95, Laplace smoothing 1e-5 and dead keys
 * below 0.1 B / M re-seeded.
 *
 * @param codebooks      C, number of heads/codebooks
 * @param pairs          M, key-value pairs per codebook
 * @param keyDim         dimension of a key (and of a head); with {@link Split#CHUNK} it must be featureDim / C
 * @param topK           keys fetched per head (1 in the paper)
 * @param valueDim       dimension of a value; 0 = number of classes (required by the mean decoder)
 * @param split          how the features become heads
 * @param decoder        how the fetched values become logits
 * @param lr             SGD learning rate (values, and the linear decoder's weights)
 * @param labelSmoothing label smoothing of the cross-entropy
 * @param clipNorm       gradient-norm clip (0 = none)
 * @param batchSize      stream batch size
 * @param stepsPerBatch  SGD steps on each stream batch (reusing its cached key indices)
 * @param initDecay      EMA decay of the key initialisation
 * @param initEps        Laplace smoothing of the cluster sizes
 * @param deadFraction   a key is dead (re-seeded) when its EMA cluster size is below deadFraction * B / M
 * @param initSamples    unlabeled samples drawn for key initialisation
 * @param initEpochs     EMA passes over them
 * @param initBatchSize  EMA k-means batch size B
 */
public record DkvbSpec(int codebooks, int pairs, int keyDim, int topK, int valueDim, Split split, Decoder decoder,
                       double lr, double labelSmoothing, double clipNorm, int batchSize, int stepsPerBatch,
                       double initDecay, double initEps, double deadFraction, int initSamples, int initEpochs,
                       int initBatchSize) {
    public DkvbSpec {
        if (codebooks <= 0 || pairs <= 0 || keyDim <= 0 || topK <= 0 || valueDim < 0 || batchSize <= 0
                || stepsPerBatch <= 0 || initSamples <= 0 || initEpochs <= 0 || initBatchSize <= 0) {
            throw new IllegalArgumentException("DKVB sizes must be positive (value dim >= 0)");
        }
        if (topK > pairs) {
            throw new IllegalArgumentException("top-k " + topK + " exceeds the " + pairs + " pairs per codebook");
        }
        if (!(lr > 0) || labelSmoothing < 0 || labelSmoothing >= 1 || clipNorm < 0) {
            throw new IllegalArgumentException("need lr > 0, label smoothing in [0,1), clip >= 0");
        }
        if (!(initDecay > 0 && initDecay < 1) || !(initEps > 0) || deadFraction < 0) {
            throw new IllegalArgumentException("need init decay in (0,1), eps > 0, dead fraction >= 0");
        }
    }

    /** The paper's defaults for the bottleneck, with the given batch size and steps per batch. */
    public static DkvbSpec paperDefaults() {
        return new DkvbSpec(256, 4096, 14, 1, 0, Split.RANDOM_PROJECTION, Decoder.MEAN, 0.3, 0.1, 1.0, 256, 1,
                0.95, 1e-5, 0.1, 10_000, 1, 256);
    }

    /** How features become heads. */
    public enum Split {
        /** C fixed random projections {@code featureDim -> keyDim}, each column L2-normalised, never trained. */
        RANDOM_PROJECTION,
        /** Consecutive chunks of {@code keyDim} features; with C = 1 the identity. */
        CHUNK;

        public static Split parse(String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "random-projection" -> RANDOM_PROJECTION;
                case "chunk" -> CHUNK;
                default -> throw new IllegalArgumentException("unknown split '" + s
                        + "' (allowed: random-projection, chunk)");
            };
        }
    }

    /** How fetched values become logits. */
    public enum Decoder {
        /** Parameter-free: logits are the mean of the fetched values (value dim = classes). */
        MEAN,
        /** A trained linear layer on the mean of the fetched values (our reconstruction of the option). */
        LINEAR;

        public static Decoder parse(String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "mean" -> MEAN;
                case "linear" -> LINEAR;
                default -> throw new IllegalArgumentException("unknown decoder '" + s + "' (allowed: mean, linear)");
            };
        }
    }
}
