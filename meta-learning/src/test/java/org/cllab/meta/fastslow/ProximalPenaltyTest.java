package org.cllab.meta.fastslow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.cllab.core.rng.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ProximalPenaltyTest {
    private static INDArray random(Rng rng, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextGaussian();
        }
        return Nd4j.create(v, new long[] {n}, DataType.DOUBLE);
    }

    /** Central differences of the value against the hand-derived gradient mu (theta - anchor). */
    @Test
    void gradientMatchesFiniteDifferences() {
        Rng rng = new Rng(3);
        ProximalPenalty p = new ProximalPenalty(0.7);
        p.anchorAt(random(rng, 12));
        INDArray theta = random(rng, 12);
        INDArray g = Nd4j.zeros(DataType.DOUBLE, 12);
        double v = p.addGradient(theta, g);
        assertEquals(p.value(theta), v, 1e-12);
        double h = 1e-5;
        for (int i = 0; i < 12; i++) {
            INDArray plus = theta.dup();
            plus.putScalar(i, theta.getDouble(i) + h);
            INDArray minus = theta.dup();
            minus.putScalar(i, theta.getDouble(i) - h);
            double fd = (p.value(plus) - p.value(minus)) / (2 * h);
            assertEquals(fd, g.getDouble(i), 1e-6, "coordinate " + i);
        }
    }

    @Test
    void zeroMuOrNoAnchorAddsNothing() {
        Rng rng = new Rng(4);
        INDArray theta = random(rng, 5);
        INDArray g = Nd4j.zeros(DataType.DOUBLE, 5);
        assertEquals(0.0, new ProximalPenalty(1.0).addGradient(theta, g));
        ProximalPenalty zero = new ProximalPenalty(0.0);
        zero.anchorAt(random(rng, 5));
        assertEquals(0.0, zero.addGradient(theta, g));
        assertEquals(0.0, g.norm2Number().doubleValue());
    }
}
