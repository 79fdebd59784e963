package org.cllab.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Bootstrap intervals and the paired test against values computed by hand (derivations in the comments). */
class SeedStatisticsTest {
    private static final double EPS = 1e-12;

    @Test
    void twoSeedsBootstrapIsExactOverTheFourResamples() {
        // resample means {0, .5, .5, 1}; type-7 quantile 0.025 at h = 3 * .025 = .075 -> 0 + .075 * .5 = .0375,
        // 0.975 at h = 2.925 -> .5 + .925 * .5 = .9625; std sqrt(.5)
        SeedStatistics.Summary s = SeedStatistics.summary(new double[] {0, 1});
        assertEquals(2, s.n());
        assertEquals(0.5, s.mean(), EPS);
        assertEquals(Math.sqrt(0.5), s.std(), EPS);
        assertEquals(0.0375, s.lo(), EPS);
        assertEquals(0.9625, s.hi(), EPS);
    }

    @Test
    void threeSeedsBootstrapFollowsTheSumDistribution() {
        // sums of 3 draws from {1,2,3}: 3:1, 4:3, 5:6, 6:7, 7:6, 8:3, 9:1 (27 resamples, means = sum / 3);
        // 0.025 at h = .65 between 1 and 4/3 -> 1 + .65 / 3; 0.975 at h = 25.35 between 8/3 and 3 -> 8/3 + .35 / 3
        SeedStatistics.Summary s = SeedStatistics.summary(new double[] {1, 2, 3});
        assertEquals(2, s.mean(), EPS);
        assertEquals(1, s.std(), EPS);
        assertEquals(1 + 0.65 / 3, s.lo(), EPS);
        assertEquals(8.0 / 3 + 0.35 / 3, s.hi(), EPS);
    }

    @Test
    void oneSeedHasNoInterval() {
        SeedStatistics.Summary s = SeedStatistics.summary(new double[] {0.7});
        assertEquals(0, s.std());
        assertTrue(Double.isNaN(s.lo()) && Double.isNaN(s.hi()));
    }

    @Test
    void pairedComparisonOfThreeSeeds() {
        // d = a - b = [2, 2, 3], mean 7/3. Sign flips: only +++ and --- reach |mean| >= 7/3 -> p = 2/8.
        // Bootstrap of d: k threes among 3 draws (each 3 w.p. 1/3): counts 8, 12, 6, 1 for means 2, 7/3, 8/3, 3;
        // 0.025 at h = .65 -> 2; 0.975 at h = 25.35 between 8/3 and 3 -> 8/3 + .35 / 3. Interval above 0: A > B.
        SeedStatistics.Paired p = SeedStatistics.paired(new double[] {3, 4, 5}, new double[] {1, 2, 2});
        assertEquals(7.0 / 3, p.meanDiff(), EPS);
        assertEquals(0.25, p.p(), EPS);
        assertEquals(2, p.lo(), EPS);
        assertEquals(8.0 / 3 + 0.35 / 3, p.hi(), EPS);
        assertEquals(1, p.verdict());
    }

    @Test
    void noDifferenceIsNoVerdict() {
        // d = [1, -1, 2, -2]: mean 0, every sign pattern is as extreme -> p = 1; the interval straddles 0
        SeedStatistics.Paired p = SeedStatistics.paired(new double[] {1, 0, 2, 0}, new double[] {0, 1, 0, 2});
        assertEquals(0, p.meanDiff(), EPS);
        assertEquals(1.0, p.p(), EPS);
        assertEquals(0, p.verdict());
        assertTrue(p.lo() < 0 && p.hi() > 0);
        assertEquals(-1, SeedStatistics.paired(new double[] {0, 0, 0}, new double[] {1, 2, 1.5}).verdict());
    }

    @Test
    void manySeedsAreResampledFromAFixedSeedAndStayReproducible() {
        double[] v = {0.91, 0.93, 0.92, 0.95, 0.90, 0.94, 0.96};
        SeedStatistics.Summary a = SeedStatistics.summary(v);
        SeedStatistics.Summary b = SeedStatistics.summary(v.clone());
        assertEquals(a, b);
        assertTrue(a.lo() < a.mean() && a.mean() < a.hi() && a.lo() >= 0.90 && a.hi() <= 0.96, a.toString());
        // 22 pairs: sign flips drawn, p > 0 by the +1 correction
        double[] x = new double[22];
        double[] y = new double[22];
        for (int i = 0; i < 22; i++) {
            x[i] = i % 3;
            y[i] = 0.5;
        }
        SeedStatistics.Paired p = SeedStatistics.paired(x, y);
        assertTrue(p.p() > 0 && p.p() <= 1);
        assertEquals(p, SeedStatistics.paired(x, y));
    }

    @Test
    void drawnResamplesFromTheFixedSeedGiveHandComputedValues() {
        // n = 7 > 6: 20,000 resamples drawn from SEED. Every resample of a constant array has its mean, so the
        // interval is exactly [c, c]; std 0.
        SeedStatistics.Summary s = SeedStatistics.summary(new double[] {0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25});
        assertEquals(0.25, s.lo(), EPS);
        assertEquals(0.25, s.hi(), EPS);
        assertEquals(0, s.std(), EPS);
        // 22 pairs (> 20: sign flips drawn), all differences 1: a drawn pattern is as extreme as the observed mean 1
        // only if all 22 signs agree (probability 2 / 2^22 per draw, none among the 20,000 draws of SEED), so
        // p = (0 + 1) / (20,000 + 1); every bootstrap mean is 1, so the interval is [1, 1] and A > B.
        double[] a = new double[22];
        double[] b = new double[22];
        java.util.Arrays.fill(a, 2);
        java.util.Arrays.fill(b, 1);
        SeedStatistics.Paired p = SeedStatistics.paired(a, b);
        assertEquals(1.0 / 20_001, p.p(), EPS);
        assertEquals(1, p.lo(), EPS);
        assertEquals(1, p.hi(), EPS);
        assertEquals(1, p.verdict());
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SeedStatistics.summary(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> SeedStatistics.summary(new double[] {1, Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> SeedStatistics.paired(new double[] {1, 2},
                new double[] {1}));
    }
}
