package org.cllab.hypernets.generators.d2nwg;

/**
 * Per-layer standardisation of weight vectors (our reconstruction of the reference's per-layer normalisation): each
 * segment of the flat vector (a layer's weight matrix, a layer's bias) is shifted by its mean and divided by its
 * standard deviation, both taken over all entries of that segment in all vectors of the training zoo. Inverted
 * exactly on the generated vectors.
 */
public final class WeightNorm {
    final int[] segments; // segment boundaries: [0, s1, s2, ..., dim]
    final double[] mean;
    final double[] std;

    WeightNorm(int[] segments, double[] mean, double[] std) {
        this.segments = segments;
        this.mean = mean;
        this.std = std;
    }

    public static WeightNorm fit(double[][] vectors, int[] segments) {
        int k = segments.length - 1;
        double[] mean = new double[k];
        double[] std = new double[k];
        for (int s = 0; s < k; s++) {
            double sum = 0;
            double sq = 0;
            long n = 0;
            for (double[] v : vectors) {
                for (int i = segments[s]; i < segments[s + 1]; i++) {
                    sum += v[i];
                    sq += v[i] * v[i];
                    n++;
                }
            }
            mean[s] = sum / n;
            std[s] = Math.sqrt(Math.max(sq / n - mean[s] * mean[s], 0)) + 1e-8;
        }
        return new WeightNorm(segments.clone(), mean, std);
    }

    public double[] apply(double[] v) {
        double[] out = new double[v.length];
        for (int s = 0; s + 1 < segments.length; s++) {
            for (int i = segments[s]; i < segments[s + 1]; i++) {
                out[i] = (v[i] - mean[s]) / std[s];
            }
        }
        return out;
    }

    public double[] invert(double[] v) {
        double[] out = new double[v.length];
        for (int s = 0; s + 1 < segments.length; s++) {
            for (int i = segments[s]; i < segments[s + 1]; i++) {
                out[i] = v[i] * std[s] + mean[s];
            }
        }
        return out;
    }
}
