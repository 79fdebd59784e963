package org.cllab.core.metrics;

import java.util.Arrays;
import org.cllab.core.rng.Rng;

/**
 * Statistics over seeds for comparison tables: mean, sample standard deviation, a 95 % percentile-bootstrap interval
 * of the mean, and the paired comparison of two learners run on the same seeds (bootstrap interval of the mean
 * difference and an exact sign-flip permutation test). With few seeds the bootstrap is computed exactly, over all
 * {@code n^n} resamples, so a table is a pure function of its numbers; with more it draws {@link #DRAWS} resamples
 * from a fixed seed. Quantiles are interpolated linearly between order statistics (the default of R's
 * {@code quantile} type 7 and numpy's {@code percentile}). The method is documented in {@code docs/metrics.md}.
 *
 * <p>References: Efron and Tibshirani, "An Introduction to the Bootstrap" (1993), ch. 13 (percentile interval) and
 * ch. 15 (permutation tests); the paired design follows Dror et al., "The Hitchhiker's Guide to Testing Statistical
 * Significance in NLP" (ACL 2018).
 */
public final class SeedStatistics {
    /** Resamples drawn when exact enumeration would exceed {@link #EXACT_LIMIT}. */
    public static final int DRAWS = 20_000;
    /** Largest {@code n^n} enumerated exactly (n <= 6). */
    public static final long EXACT_LIMIT = 50_000;
    /** Seed of the resampling when it is not exact: fixed, so the same numbers give the same interval. */
    public static final long SEED = 20_261_201L;

    private SeedStatistics() {
    }

    /**
     * Summary of one figure over seeds.
     *
     * @param n     number of seeds
     * @param mean  mean
     * @param std   sample standard deviation (0 for one seed)
     * @param lo    lower end of the 95 % bootstrap interval of the mean (NaN for fewer than 2 seeds)
     * @param hi    upper end
     */
    public record Summary(int n, double mean, double std, double lo, double hi) {
    }

    /**
     * Paired comparison of A and B over the same seeds, on the differences {@code a_i - b_i}.
     *
     * @param n        number of pairs
     * @param meanDiff mean difference A - B
     * @param lo       lower end of the 95 % bootstrap interval of the mean difference
     * @param hi       upper end
     * @param p        two-sided p-value of the exact sign-flip permutation test (for n > 20: 20,000 random flips)
     */
    public record Paired(int n, double meanDiff, double lo, double hi, double p) {
        /** +1 when the interval lies above 0 (A better, for a higher-is-better figure), -1 below, 0 otherwise. */
        public int verdict() {
            return lo > 0 ? 1 : hi < 0 ? -1 : 0;
        }
    }

    /** Mean, std and 95 % bootstrap interval of {@code values} (NaNs are not allowed). */
    public static Summary summary(double[] values) {
        check(values);
        int n = values.length;
        double mean = mean(values);
        double std = n < 2 ? 0 : Math.sqrt(Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / (n - 1));
        if (n < 2) {
            return new Summary(n, mean, std, Double.NaN, Double.NaN);
        }
        double[] means = bootstrapMeans(values);
        return new Summary(n, mean, std, quantile(means, 0.025), quantile(means, 0.975));
    }

    /** Paired comparison of {@code a} and {@code b}, value {@code i} of both from the same seed. */
    public static Paired paired(double[] a, double[] b) {
        check(a);
        check(b);
        if (a.length != b.length || a.length < 2) {
            throw new IllegalArgumentException("a paired comparison needs the same seeds on both sides, at least 2; "
                    + "got " + a.length + " and " + b.length);
        }
        int n = a.length;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = a[i] - b[i];
        }
        double[] means = bootstrapMeans(d);
        return new Paired(n, mean(d), quantile(means, 0.025), quantile(means, 0.975), signFlipP(d));
    }

    /** The means of every bootstrap resample of {@code v} (exact enumeration or {@link #DRAWS} seeded draws). */
    static double[] bootstrapMeans(double[] v) {
        int n = v.length;
        double exact = Math.pow(n, n);
        if (exact <= EXACT_LIMIT) {
            double[] out = new double[(int) exact];
            int[] idx = new int[n];
            for (int r = 0; r < out.length; r++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += v[idx[i]];
                }
                out[r] = s / n;
                for (int i = 0; i < n && ++idx[i] == n; i++) {
                    idx[i] = 0;
                }
            }
            return out;
        }
        Rng rng = new Rng(SEED);
        double[] out = new double[DRAWS];
        for (int r = 0; r < DRAWS; r++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += v[rng.nextInt(n)];
            }
            out[r] = s / n;
        }
        return out;
    }

    /**
     * Two-sided p-value of the sign-flip test of mean 0: the share of the {@code 2^n} sign patterns whose mean is at
     * least as far from 0 as the observed one (exact for n <= 20, else {@link #DRAWS} seeded random patterns).
     */
    static double signFlipP(double[] d) {
        int n = d.length;
        double observed = Math.abs(mean(d));
        double tol = 1e-12 * Math.max(1, observed);
        if (n <= 20) {
            long hits = 0;
            long total = 1L << n;
            for (long mask = 0; mask < total; mask++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += ((mask >>> i) & 1) == 1 ? -d[i] : d[i];
                }
                if (Math.abs(s / n) >= observed - tol) {
                    hits++;
                }
            }
            return (double) hits / total;
        }
        Rng rng = new Rng(SEED);
        long hits = 0;
        for (int r = 0; r < DRAWS; r++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += rng.nextInt(2) == 1 ? -d[i] : d[i];
            }
            if (Math.abs(s / n) >= observed - tol) {
                hits++;
            }
        }
        return (hits + 1.0) / (DRAWS + 1.0);
    }

    /** Quantile {@code q} of {@code values}, linear between order statistics (type 7). Sorts a copy. */
    static double quantile(double[] values, double q) {
        double[] s = values.clone();
        Arrays.sort(s);
        double h = (s.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (h - lo) * (s[hi] - s[lo]);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static void check(double[] v) {
        if (v.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        for (double x : v) {
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException("values must be finite, got " + Arrays.toString(v));
            }
        }
    }
}
