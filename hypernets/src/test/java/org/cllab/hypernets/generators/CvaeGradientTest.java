package org.cllab.hypernets.generators;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cllab.core.rng.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Central finite differences (double precision) against the CVAE's hand-derived gradients, every parameter. */
class CvaeGradientTest {
    private static INDArray gaussian(Rng rng, int n, int d) {
        double[] v = new double[n * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextGaussian();
        }
        return Nd4j.create(v, new long[] {n, d}, DataType.DOUBLE);
    }

    @Test
    void everyParameterGradientMatchesFiniteDifferences() {
        Rng rng = new Rng(7);
        // a large beta so that the KL gradient is not drowned by the reconstruction term
        Cvae vae = new Cvae(9, 4, 3, 6, 2, 0.5, DataType.DOUBLE);
        vae.init(rng);
        // non-zero biases, so that every path is exercised
        vae.flat().addi(gaussian(rng, 1, (int) vae.numParams()).muli(0.1));
        INDArray x = gaussian(rng, 5, 9);
        INDArray c = gaussian(rng, 5, 4);
        INDArray eps = gaussian(rng, 5, 2);
        vae.lossAndGradient(x, c, eps);
        INDArray grad = vae.params().gradients().dup();
        INDArray flat = vae.flat();
        double h = 1e-6;
        double worst = 0;
        int checked = 0;
        for (int i = 0; i < flat.length(); i++) {
            double v = flat.getDouble(0, i);
            flat.putScalar(0, i, v + h);
            double up = vae.lossAndGradient(x, c, eps).total();
            flat.putScalar(0, i, v - h);
            double down = vae.lossAndGradient(x, c, eps).total();
            flat.putScalar(0, i, v);
            double fd = (up - down) / (2 * h);
            double err = Math.abs(fd - grad.getDouble(i)) / Math.max(1e-4, Math.abs(fd) + Math.abs(grad.getDouble(i)));
            worst = Math.max(worst, err);
            if (Math.abs(fd) > 1e-6) {
                checked++;
            }
        }
        assertTrue(worst < 1e-5, "worst relative gradient error " + worst);
        assertTrue(checked > flat.length() / 2, "only " + checked + " of " + flat.length() + " gradients non-zero");
    }
}
