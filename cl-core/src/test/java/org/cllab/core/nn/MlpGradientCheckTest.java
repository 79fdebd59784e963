package org.cllab.core.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cllab.core.rng.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Finite-difference check of {@link Mlp#backward} together with {@link SoftmaxCrossEntropy} (with and without a
 * head mask): the analytic gradient of every parameter is compared with a central difference of the loss.
 */
class MlpGradientCheckTest {

    private static double loss(Mlp mlp, INDArray x, int[] y, INDArray mask) {
        return SoftmaxCrossEntropy.compute(mlp.output(x), y, mask).loss();
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void analyticGradientMatchesFiniteDifferences(Activation act) {
        Rng rng = new Rng(42);
        Mlp mlp = new Mlp(new int[] {5, 7, 6, 4}, act);
        mlp.init(rng);
        int n = 6;
        float[] xs = new float[n * 5];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) rng.nextGaussian();
        }
        INDArray x = Nd4j.create(xs, new long[] {n, 5}, DataType.FLOAT);
        int[] y = {0, 1, 3, 2, 1, 0};
        // rows 0-2 may use outputs 0,1 (head 0) only when masked: targets must lie inside the head
        INDArray mask = Nd4j.create(new float[] {
                1, 1, 0, 0,
                1, 1, 0, 0,
                0, 0, 1, 1,
                0, 0, 1, 1,
                1, 1, 0, 0,
                1, 1, 0, 0}, new long[] {n, 4}, DataType.FLOAT);
        for (INDArray m : new INDArray[] {null, mask}) {
            SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.compute(mlp.forward(x), y, m);
            mlp.backward(r.dLogits());
            float[] analytic = mlp.gradient().dup().data().asFloat();
            INDArray p = mlp.params();
            double eps = 1e-2;
            double maxRel = 0;
            for (int i = 0; i < analytic.length; i++) {
                float orig = p.getFloat(i);
                p.putScalar(i, orig + eps);
                double up = loss(mlp, x, y, m);
                p.putScalar(i, orig - eps);
                double down = loss(mlp, x, y, m);
                p.putScalar(i, orig);
                double numeric = (up - down) / (2 * eps);
                double denom = Math.max(1e-3, Math.abs(numeric) + Math.abs(analytic[i]));
                double rel = Math.abs(numeric - analytic[i]) / denom;
                maxRel = Math.max(maxRel, rel);
            }
            assertTrue(maxRel < 2e-2, act + (m == null ? "" : " masked") + ": max relative error " + maxRel);
        }
    }
}
