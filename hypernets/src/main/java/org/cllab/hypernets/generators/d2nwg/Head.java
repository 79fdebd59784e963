package org.cllab.hypernets.generators.d2nwg;

import java.util.SplittableRandom;

/**
 * The zoo's default target network, D2NWG's "head only" mode: a linear softmax classifier {@code K x F + K} on the
 * frozen encoder's features. A weight vector is {@code W} row-major ({@code [K][F]}: row {@code k} scores the task's
 * {@code k}-th class) followed by {@code b}. Trained by minibatch Adam on the cross-entropy.
 */
public final class Head {
    private Head() {
    }

    public static int size(int classes, int dim) {
        return classes * dim + classes;
    }

    /** Segment boundaries for per-layer normalisation: weights, then biases. */
    public static int[] segments(int classes, int dim) {
        return new int[] {0, classes * dim, classes * dim + classes};
    }

    static double[] logits(double[] w, int classes, int dim, float[] x, int i) {
        double[] z = new double[classes];
        int b = classes * dim;
        for (int k = 0; k < classes; k++) {
            double s = w[b + k];
            int o = k * dim;
            int xi = i * dim;
            for (int j = 0; j < dim; j++) {
                s += w[o + j] * x[xi + j];
            }
            z[k] = s;
        }
        return z;
    }

    /** Accuracy of head {@code w} on {@code n = y.length} feature rows {@code x}. */
    public static double accuracy(double[] w, int classes, int dim, float[] x, int[] y) {
        int ok = 0;
        for (int i = 0; i < y.length; i++) {
            double[] z = logits(w, classes, dim, x, i);
            int best = 0;
            for (int k = 1; k < classes; k++) {
                if (z[k] > z[best]) {
                    best = k;
                }
            }
            if (best == y[i]) {
                ok++;
            }
        }
        return y.length == 0 ? 0 : (double) ok / y.length;
    }

    /** Small random initial head (uniform in +-1/sqrt(F), biases 0), as a training run starts from. */
    public static double[] init(int classes, int dim, SplittableRandom rng) {
        double[] w = new double[size(classes, dim)];
        double bound = 1 / Math.sqrt(dim);
        for (int i = 0; i < classes * dim; i++) {
            w[i] = (rng.nextDouble() * 2 - 1) * bound;
        }
        return w;
    }

    /** A minibatch trainer: {@link #step} takes one Adam step on a random minibatch. */
    public static final class Trainer {
        final int classes;
        final int dim;
        final double[] w;
        final Adam adam;
        final float[] x;
        final int[] y;
        final int batch;

        public Trainer(double[] w, int classes, int dim, float[] x, int[] y, int batch, double lr) {
            this.w = w;
            this.classes = classes;
            this.dim = dim;
            this.x = x;
            this.y = y;
            this.batch = batch;
            this.adam = new Adam(w.length, lr);
        }

        public void step(SplittableRandom rng) {
            double[] g = new double[w.length];
            int b = classes * dim;
            for (int s = 0; s < batch; s++) {
                int i = rng.nextInt(y.length);
                double[] z = logits(w, classes, dim, x, i);
                double max = Double.NEGATIVE_INFINITY;
                for (double v : z) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                for (int k = 0; k < classes; k++) {
                    z[k] = Math.exp(z[k] - max);
                    sum += z[k];
                }
                for (int k = 0; k < classes; k++) {
                    double d = (z[k] / sum - (k == y[i] ? 1 : 0)) / batch;
                    g[b + k] += d;
                    int o = k * dim;
                    int xi = i * dim;
                    for (int j = 0; j < dim; j++) {
                        g[o + j] += d * x[xi + j];
                    }
                }
            }
            adam.step(w, g, 0);
        }

        public double[] weights() {
            return w;
        }
    }
}
