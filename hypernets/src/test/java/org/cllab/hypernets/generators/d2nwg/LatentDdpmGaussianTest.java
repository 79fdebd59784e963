package org.cllab.hypernets.generators.d2nwg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The DDPM forward noising and the DDIM sampler against closed forms on a toy Gaussian {@code z0 ~ N(mu, sigma^2)},
 * where the optimal epsilon predictor is known: {@code eps*(z, t) = sqrt(1-a)(z - sqrt(a) mu) / (a sigma^2 + 1 - a)}
 * with {@code a = abar_t}.
 */
class LatentDdpmGaussianTest {
    static final double MU = 1.5;
    static final double SIGMA = 0.5;

    static LatentDdpm.EpsModel optimal(LatentDdpm d) {
        return (z, t, cond, n) -> {
            double[] e = new double[z.length];
            for (int i = 0; i < z.length; i++) {
                double a = d.alphaBar(t[i]);
                e[i] = Math.sqrt(1 - a) * (z[i] - Math.sqrt(a) * MU) / (a * SIGMA * SIGMA + 1 - a);
            }
            return e;
        };
    }

    @Test
    void scheduleIsTheReferenceOne() {
        double[] b = LatentDdpm.schedule(1000);
        assertEquals(0.0015, b[0], 1e-15);
        assertEquals(0.0155, b[999], 1e-15);
        double s = Math.sqrt(0.0015) + (Math.sqrt(0.0155) - Math.sqrt(0.0015)) * 500 / 999;
        assertEquals(s * s, b[500], 1e-15);
    }

    @Test
    void forwardNoisingHasTheClosedFormMoments() {
        LatentDdpm d = new LatentDdpm(1000, 1, 2, 1, 2, new SplittableRandom(0));
        SplittableRandom r = new SplittableRandom(5);
        int n = 200_000;
        for (int t : new int[] {0, 100, 500, 999}) {
            double[] z0 = WeightVae.gaussian(n, r);
            for (int i = 0; i < n; i++) {
                z0[i] = MU + SIGMA * z0[i];
            }
            int[] tv = new int[n];
            java.util.Arrays.fill(tv, t);
            double[] zt = d.noise(z0, tv, WeightVae.gaussian(n, r), n);
            double m = 0;
            double v = 0;
            for (double x : zt) {
                m += x;
            }
            m /= n;
            for (double x : zt) {
                v += (x - m) * (x - m);
            }
            v /= n;
            double a = d.alphaBar(t);
            assertEquals(Math.sqrt(a) * MU, m, 0.01, "mean at t=" + t);
            assertEquals(a * SIGMA * SIGMA + 1 - a, v, 0.01, "variance at t=" + t);
        }
        // abar_T from the product of (1 - beta_t)
        double p = 1;
        for (double b : LatentDdpm.schedule(1000)) {
            p *= 1 - b;
        }
        assertEquals(p, d.alphaBar(999), 1e-12);
    }

    @Test
    void ddimFollowsItsClosedFormAffineMap() {
        LatentDdpm d = new LatentDdpm(1000, 1, 2, 1, 2, new SplittableRandom(0));
        int k = 10;
        int[] ts = d.ddimTimes(k);
        // with the optimal predictor every DDIM step is affine in (z - sqrt(a) mu):
        // factor (sqrt(a_s a_t) sigma^2 + sqrt((1-a_s)(1-a_t))) / (a_t sigma^2 + 1 - a_t)
        double zT = 0.7;
        double w = zT - Math.sqrt(d.alphaBar(ts[0])) * MU;
        for (int i = 0; i < k; i++) {
            double at = d.alphaBar(ts[i]);
            double as = i + 1 < k ? d.alphaBar(ts[i + 1]) : 1.0;
            w *= (Math.sqrt(as * at) * SIGMA * SIGMA + Math.sqrt((1 - as) * (1 - at))) / (at * SIGMA * SIGMA + 1 - at);
        }
        double expected = w + MU;
        double[] got = d.ddim(optimal(d), new double[] {zT}, new double[1], 1, k);
        assertEquals(expected, got[0], 1e-12);
    }

    @Test
    void ddimWithManyStepsRecoversTheDataDistribution() {
        LatentDdpm d = new LatentDdpm(1000, 1, 2, 1, 2, new SplittableRandom(0));
        SplittableRandom r = new SplittableRandom(9);
        int n = 20_000;
        double a = d.alphaBar(999);
        double[] zT = WeightVae.gaussian(n, r);
        for (int i = 0; i < n; i++) { // the exact marginal at T
            zT[i] = Math.sqrt(a) * MU + Math.sqrt(a * SIGMA * SIGMA + 1 - a) * zT[i];
        }
        double[] z0 = d.ddim(optimal(d), zT, new double[n], n, 1000);
        double m = 0;
        double v = 0;
        for (double x : z0) {
            m += x;
        }
        m /= n;
        for (double x : z0) {
            v += (x - m) * (x - m);
        }
        v /= n;
        assertEquals(MU, m, 0.02);
        assertEquals(SIGMA, Math.sqrt(v), 0.02);
    }
}
