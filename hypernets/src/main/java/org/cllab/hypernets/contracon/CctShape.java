package org.cllab.hypernets.contracon;

/**
 * Sizes of a compact convolutional transformer (CCT, Hassani et al. 2021, "Escaping the Big Data Paradigm with
 * Compact Transformers") and of ConTraCon's per-task re-weighting.
 *
 * @param channels          input channels
 * @param height            input rows
 * @param width             input columns
 * @param tokenizerLayers   3×3 convolutions (ReLU, 2×2 max-pool stride 2 each) of the tokenizer
 * @param tokenizerChannels output channels of every tokenizer convolution but the last (which outputs {@code dim})
 * @param dim               embedding size
 * @param heads             attention heads ({@code dim} must be a multiple)
 * @param layers            transformer layers
 * @param mlpRatio          feed-forward hidden size / {@code dim}
 * @param learnedPositions  learned positional embedding (else the fixed sine embedding of CCT)
 * @param classes           outputs of a task head
 * @param kernel            k of the k×k re-weighting convolution (odd)
 * @param skip              the skip term of the re-weighting
 */
public record CctShape(int channels, int height, int width, int tokenizerLayers, int tokenizerChannels, int dim,
                       int heads, int layers, int mlpRatio, boolean learnedPositions, int classes, int kernel,
                       Skip skip) {
    /** The skip term of {@code W_t,h = conv_t,h(W_0,h) + skip}. */
    public enum Skip {
        /** {@code σ(s_t,h)·W_0,h} with a learned gate {@code s} (the paper). */
        GATED,
        /** {@code W_0,h} (no gate; ablation). */
        PLAIN,
        /** no skip: {@code W_t,h = conv_t,h(W_0,h)} (ablation). */
        NONE
    }

    public CctShape {
        if (dim % heads != 0) {
            throw new IllegalArgumentException("dim " + dim + " is not a multiple of heads " + heads);
        }
        if (kernel % 2 == 0) {
            throw new IllegalArgumentException("the re-weighting kernel must be odd, got " + kernel);
        }
        int div = 1 << tokenizerLayers;
        if (height % div != 0 || width % div != 0) {
            throw new IllegalArgumentException("input " + height + "x" + width + " is not divisible by 2^"
                    + tokenizerLayers + " (one 2x2 max-pool per tokenizer layer)");
        }
    }

    public int headDim() {
        return dim / heads;
    }

    /** Number of tokens: the tokenizer's output grid. */
    public int tokens() {
        return (height >> tokenizerLayers) * (width >> tokenizerLayers);
    }

    public int hidden() {
        return dim * mlpRatio;
    }

    /** Input channels of tokenizer convolution {@code i}. */
    int convIn(int i) {
        return i == 0 ? channels : tokenizerChannels;
    }

    /** Output channels of tokenizer convolution {@code i}. */
    int convOut(int i) {
        return i == tokenizerLayers - 1 ? dim : tokenizerChannels;
    }

    /** The same sizes with another head size. */
    public CctShape withClasses(int c) {
        return new CctShape(channels, height, width, tokenizerLayers, tokenizerChannels, dim, heads, layers, mlpRatio,
                learnedPositions, c, kernel, skip);
    }
}
