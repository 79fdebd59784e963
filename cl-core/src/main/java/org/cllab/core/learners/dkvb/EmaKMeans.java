package org.cllab.core.learners.dkvb;

import org.cllab.core.rng.Rng;

/**
 * Exponential-moving-average k-means over the C codebooks (the VQ-VAE codebook update used by the bottleneck's
 * key initialisation). Per codebook c, for a batch of B heads with nearest keys {@code a_i}:
 * <pre>
 *   n_j   = #{i : a_i = j},   s_j = sum_{i : a_i = j} h_i
 *   N_j  <- decay N_j + (1 - decay) n_j            (EMA cluster size)
 *   S_j  <- decay S_j + (1 - decay) s_j            (EMA sum)
 *   Ñ_j   = (N_j + eps) / (sum_l N_l + M eps) * sum_l N_l   (Laplace smoothing)
 *   key_j = S_j / Ñ_j
 * </pre>
 * then every key with {@code N_j < deadFraction * B / M} is dead and re-seeded with a head drawn uniformly from the
 * batch; its EMA sum is set to {@code key_j * Ñ_j} so the next update starts from the new position (our
 * reconstruction: the authors' code replaces the key only, and the next update then overwrites it).
 *
 * <p>Initial state (our reconstruction): keys are M distinct heads drawn from the first batch (with repeats if the
 * batch is smaller than M), {@code N_j = B / M} (the cluster size of a uniform assignment) and {@code S_j =
 * key_j N_j}, so that the first update is consistent.
 */
public final class EmaKMeans {
    private final int codebooks;
    private final int pairs;
    private final int dim;
    private final double decay;
    private final double eps;
    private final double deadFraction;
    private final float[] keys;
    private final double[] clusterSize;
    private final double[] emaSum;

    /**
     * @param keys the keys to update in place, {@code [C][M][dim]} row-major
     */
    public EmaKMeans(int codebooks, int pairs, int dim, double decay, double eps, double deadFraction, float[] keys) {
        if (keys.length != codebooks * pairs * dim) {
            throw new IllegalArgumentException("keys must have C*M*dim = " + codebooks * pairs * dim + " entries");
        }
        this.codebooks = codebooks;
        this.pairs = pairs;
        this.dim = dim;
        this.decay = decay;
        this.eps = eps;
        this.deadFraction = deadFraction;
        this.keys = keys;
        this.clusterSize = new double[codebooks * pairs];
        this.emaSum = new double[codebooks * pairs * dim];
    }

    /** Seeds the keys with heads of the first batch ({@code heads}: {@code [n][C][dim]}) and the initial EMA state. */
    public void seed(float[] heads, int n, Rng rng) {
        int[] pick = new int[pairs];
        if (n >= pairs) {
            int[] perm = rng.permutation(n);
            System.arraycopy(perm, 0, pick, 0, pairs);
        } else {
            for (int j = 0; j < pairs; j++) {
                pick[j] = rng.nextInt(n);
            }
        }
        double n0 = (double) n / pairs;
        for (int c = 0; c < codebooks; c++) {
            for (int j = 0; j < pairs; j++) {
                int kOff = (c * pairs + j) * dim;
                int hOff = (pick[j] * codebooks + c) * dim;
                clusterSize[c * pairs + j] = n0;
                for (int u = 0; u < dim; u++) {
                    keys[kOff + u] = heads[hOff + u];
                    emaSum[kOff + u] = heads[hOff + u] * n0;
                }
            }
        }
    }

    /** Sets the EMA state directly (tests). */
    public void setState(double[] clusterSize, double[] emaSum) {
        System.arraycopy(clusterSize, 0, this.clusterSize, 0, this.clusterSize.length);
        System.arraycopy(emaSum, 0, this.emaSum, 0, this.emaSum.length);
    }

    /** EMA cluster sizes {@code [C][M]} (a copy). */
    public double[] clusterSize() {
        return clusterSize.clone();
    }

    /**
     * One EMA update.
     *
     * @param heads   {@code [n][C][dim]}
     * @param nearest {@code [n][C]} index {@code 0..M-1} of each head's nearest key in its codebook
     * @return number of keys re-seeded
     */
    public int update(float[] heads, int n, int[] nearest, Rng rng) {
        double threshold = deadFraction * n / pairs;
        int reseeded = 0;
        double[] counts = new double[pairs];
        double[] sums = new double[pairs * dim];
        for (int c = 0; c < codebooks; c++) {
            java.util.Arrays.fill(counts, 0);
            java.util.Arrays.fill(sums, 0);
            for (int i = 0; i < n; i++) {
                int j = nearest[i * codebooks + c];
                counts[j]++;
                int hOff = (i * codebooks + c) * dim;
                for (int u = 0; u < dim; u++) {
                    sums[j * dim + u] += heads[hOff + u];
                }
            }
            double total = 0;
            for (int j = 0; j < pairs; j++) {
                int idx = c * pairs + j;
                clusterSize[idx] = decay * clusterSize[idx] + (1 - decay) * counts[j];
                total += clusterSize[idx];
                for (int u = 0; u < dim; u++) {
                    emaSum[idx * dim + u] = decay * emaSum[idx * dim + u] + (1 - decay) * sums[j * dim + u];
                }
            }
            for (int j = 0; j < pairs; j++) {
                int idx = c * pairs + j;
                double smoothed = (clusterSize[idx] + eps) / (total + pairs * eps) * total;
                if (clusterSize[idx] < threshold) {
                    int i = rng.nextInt(n);
                    int hOff = (i * codebooks + c) * dim;
                    for (int u = 0; u < dim; u++) {
                        keys[idx * dim + u] = heads[hOff + u];
                        emaSum[idx * dim + u] = heads[hOff + u] * smoothed;
                    }
                    reseeded++;
                } else {
                    for (int u = 0; u < dim; u++) {
                        keys[idx * dim + u] = (float) (emaSum[idx * dim + u] / smoothed);
                    }
                }
            }
        }
        return reseeded;
    }
}
