package org.cllab.hypernets.generators;

import java.util.List;

/**
 * Per-tensor z-scoring of a collection of flat weight vectors (checkpoints) that share one layout: every tensor
 * (a slice {@code [offsets[k], offsets[k+1])} of the flat vector) gets its own mean and standard deviation over all
 * checkpoints and all its elements, as the ICM-LoRA reference normalises each LoRA tensor before training its VAE.
 * The statistics are kept so that generated vectors can be mapped back ({@link #denormalise}).
 */
public final class TensorZScore {
    /** Smallest standard deviation used (an all-constant tensor, e.g. a zero-initialised one, maps to 0). */
    public static final double MIN_STD = 1e-8;

    private final int[] offsets;
    private final double[] mean;
    private final double[] std;

    /**
     * @param offsets tensor start offsets followed by the total length
     * @param mean    per-tensor mean
     * @param std     per-tensor standard deviation (>= {@link #MIN_STD})
     */
    public TensorZScore(int[] offsets, double[] mean, double[] std) {
        if (mean.length != offsets.length - 1 || std.length != mean.length) {
            throw new IllegalArgumentException("need one mean and std per tensor");
        }
        this.offsets = offsets.clone();
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** Statistics of {@code checkpoints} (each of length {@code offsets[last]}). */
    public static TensorZScore fit(int[] offsets, List<float[]> checkpoints) {
        int tensors = offsets.length - 1;
        double[] mean = new double[tensors];
        double[] std = new double[tensors];
        for (int k = 0; k < tensors; k++) {
            double s = 0;
            long n = 0;
            for (float[] c : checkpoints) {
                for (int i = offsets[k]; i < offsets[k + 1]; i++) {
                    s += c[i];
                    n++;
                }
            }
            double m = s / n;
            double v = 0;
            for (float[] c : checkpoints) {
                for (int i = offsets[k]; i < offsets[k + 1]; i++) {
                    v += (c[i] - m) * (c[i] - m);
                }
            }
            mean[k] = m;
            std[k] = Math.max(MIN_STD, Math.sqrt(v / n));
        }
        return new TensorZScore(offsets, mean, std);
    }

    /** The element-wise average of several statistics (for a vector of a task that has none of its own). */
    public static TensorZScore average(List<TensorZScore> all) {
        TensorZScore first = all.get(0);
        double[] m = new double[first.mean.length];
        double[] s = new double[m.length];
        for (TensorZScore z : all) {
            for (int k = 0; k < m.length; k++) {
                m[k] += z.mean[k] / all.size();
                s[k] += z.std[k] / all.size();
            }
        }
        return new TensorZScore(first.offsets, m, s);
    }

    public float[] normalise(float[] x) {
        float[] y = new float[x.length];
        for (int k = 0; k < mean.length; k++) {
            for (int i = offsets[k]; i < offsets[k + 1]; i++) {
                y[i] = (float) ((x[i] - mean[k]) / std[k]);
            }
        }
        return y;
    }

    public float[] denormalise(float[] y) {
        float[] x = new float[y.length];
        for (int k = 0; k < mean.length; k++) {
            for (int i = offsets[k]; i < offsets[k + 1]; i++) {
                x[i] = (float) (y[i] * std[k] + mean[k]);
            }
        }
        return x;
    }

    public int[] offsets() {
        return offsets.clone();
    }

    public double[] mean() {
        return mean.clone();
    }

    public double[] std() {
        return std.clone();
    }

    /** Stored numbers: a mean and a std per tensor. */
    public int storedValues() {
        return 2 * mean.length;
    }
}
