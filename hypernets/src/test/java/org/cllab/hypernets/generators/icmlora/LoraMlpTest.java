package org.cllab.hypernets.generators.icmlora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cllab.core.rng.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LoraMlpTest {
    private static INDArray gaussian(Rng rng, int n, int d) {
        double[] v = new double[n * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextGaussian();
        }
        return Nd4j.create(v, new long[] {n, d}, DataType.DOUBLE);
    }

    private static LoraMlp model(Rng rng) {
        LoraMlp m = new LoraMlp(new int[] {7, 6, 5, 3}, 2, 4.0, DataType.DOUBLE);
        m.initBase(rng);
        m.initAdapter(rng);
        // a trained-looking adapter: B non-zero
        INDArray ad = m.adapterFlat();
        ad.assign(gaussian(rng, 1, (int) ad.length()).muli(0.3));
        return m;
    }

    @Test
    void mergedWeightsEqualTheAdapterForward() {
        LoraMlp m = model(new Rng(1));
        INDArray x = gaussian(new Rng(2), 9, 7);
        INDArray viaAdapter = m.forward(x, true).dup();
        INDArray merged = m.forwardMerged(x);
        double diff = viaAdapter.sub(merged).amaxNumber().doubleValue();
        assertTrue(diff < 1e-12, "merge identity off by " + diff);
        // the adapter matters: the base alone answers differently
        double baseDiff = m.forward(x, false).sub(viaAdapter).amaxNumber().doubleValue();
        assertTrue(baseDiff > 1e-3, "adapter had no effect: " + baseDiff);
    }

    @Test
    void aFreshAdapterLeavesTheBaseUnchanged() {
        Rng rng = new Rng(3);
        LoraMlp m = new LoraMlp(new int[] {7, 6, 3}, 2, 2.0, DataType.DOUBLE);
        m.initBase(rng);
        m.initAdapter(rng);
        INDArray x = gaussian(rng, 4, 7);
        assertEquals(0.0, m.forward(x, true).sub(m.forward(x, false)).amaxNumber().doubleValue(), 1e-15);
    }

    /** Finite differences of 0.5 * sum(logits * R) with respect to every adapter and every base parameter. */
    @Test
    void gradientsMatchFiniteDifferences() {
        for (boolean adapter : new boolean[] {true, false}) {
            LoraMlp m = model(new Rng(4));
            INDArray x = gaussian(new Rng(5), 6, 7);
            INDArray r = gaussian(new Rng(6), 6, 3);
            m.forward(x, adapter);
            m.backward(r, adapter);
            INDArray grad = (adapter ? m.adapterParams() : m.baseParams()).gradients().dup();
            INDArray flat = adapter ? m.adapterFlat() : m.baseFlat();
            double eps = 1e-6;
            double worst = 0;
            for (int i = 0; i < flat.length(); i++) {
                double v = flat.getDouble(0, i);
                flat.putScalar(0, i, v + eps);
                double up = m.forward(x, adapter).mul(r).sumNumber().doubleValue();
                flat.putScalar(0, i, v - eps);
                double down = m.forward(x, adapter).mul(r).sumNumber().doubleValue();
                flat.putScalar(0, i, v);
                double fd = (up - down) / (2 * eps);
                worst = Math.max(worst, Math.abs(fd - grad.getDouble(i)) / Math.max(1e-3, Math.abs(fd)));
            }
            assertTrue(worst < 1e-5, (adapter ? "adapter" : "base") + " gradient relative error " + worst);
        }
    }
}
