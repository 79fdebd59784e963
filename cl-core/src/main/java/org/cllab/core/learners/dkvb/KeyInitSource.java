package org.cllab.core.learners.dkvb;

import org.cllab.core.rng.Rng;

/**
 * Unlabeled data for the key initialisation, from a different source than the stream (the paper initialises the
 * keys on another dataset before any continual learning). It yields feature vectors in the same space the
 * bottleneck sees (for an encoded stream: the frozen encoder's features of the other dataset).
 */
public interface KeyInitSource {
    /** {@code n} samples as a row-major {@code [n, featureDim]} array, drawn with {@code rng}. */
    float[] draw(int n, int featureDim, Rng rng);

    /** One line naming the source, for provenance. */
    String describe();

    /** Points uniform in the box {@code [lo, hi]^d} (the 2-D toy of the paper: uniform on the unit square). */
    static KeyInitSource uniform(double lo, double hi) {
        return new KeyInitSource() {
            @Override
            public float[] draw(int n, int featureDim, Rng rng) {
                float[] x = new float[n * featureDim];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (lo + (hi - lo) * rng.nextDouble());
                }
                return x;
            }

            @Override
            public String describe() {
                return "uniform on [" + lo + ", " + hi + "]^d";
            }
        };
    }

    /** Rows drawn without replacement (with replacement if {@code n} exceeds the pool) from a fixed pool. */
    static KeyInitSource pool(float[] rows, int dim, String description) {
        int size = rows.length / dim;
        return new KeyInitSource() {
            @Override
            public float[] draw(int n, int featureDim, Rng rng) {
                if (featureDim != dim) {
                    throw new IllegalArgumentException("key-init data has dimension " + dim + ", the stream "
                            + featureDim);
                }
                float[] x = new float[n * dim];
                int[] perm = rng.permutation(size);
                for (int i = 0; i < n; i++) {
                    int r = i < size ? perm[i] : rng.nextInt(size);
                    System.arraycopy(rows, r * dim, x, i * dim, dim);
                }
                return x;
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }
}
