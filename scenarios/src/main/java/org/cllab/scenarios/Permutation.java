package org.cllab.scenarios;

/** Pixel permutation: output pixel {@code i} is input pixel {@code perm[i]} (Goodfellow et al. 2013). */
public final class Permutation implements PixelTransform {
    private final int[] perm;

    public Permutation(int[] perm) {
        this.perm = perm.clone();
    }

    @Override
    public void apply(float[] src, int srcOff, float[] dst, int dstOff) {
        for (int i = 0; i < perm.length; i++) {
            dst[dstOff + i] = src[srcOff + perm[i]];
        }
    }
}
