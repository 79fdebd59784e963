package org.cllab.scenarios;

/** A deterministic per-task input transform applied when features are read. */
public interface PixelTransform {
    /** Writes the transformed image of {@code src[srcOff..srcOff+n)} into {@code dst[dstOff..dstOff+n)}. */
    void apply(float[] src, int srcOff, float[] dst, int dstOff);
}
