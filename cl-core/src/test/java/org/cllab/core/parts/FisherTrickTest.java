package org.cllab.core.parts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cllab.core.nn.Activation;
import org.cllab.core.nn.Mlp;
import org.cllab.core.rng.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link Mlp#accumulateSquaredGradients} (the batched squared per-sample gradient used for the diagonal Fisher)
 * against the definition: a separate forward/backward pass per sample, its gradient squared, summed over samples.
 */
class FisherTrickTest {
    private static final int N = 6;

    private static INDArray gaussian(Rng rng, int rows, int cols) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return Nd4j.create(v, new long[] {rows, cols}, DataType.FLOAT);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void batchedSquaredGradientsEqualPerSampleLoop(Activation act) {
        Rng rng = new Rng(8);
        Mlp mlp = new Mlp(new int[] {4, 5, 3}, act);
        mlp.init(rng);
        INDArray x = gaussian(rng, N, 4);
        INDArray d = gaussian(rng, N, 3);
        int p = (int) mlp.numParams(); // 4*5 + 5 + 5*3 + 3 = 43
        assertEquals(43, p);

        // reference: per-sample forward + backward with that row as dLogits (not divided), gradient squared, summed
        double[] reference = new double[p];
        for (int i = 0; i < N; i++) {
            INDArray xi = x.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all()).dup();
            INDArray di = d.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all()).dup();
            mlp.forward(xi);
            mlp.backward(di);
            float[] g = mlp.gradient().dup().data().asFloat();
            for (int j = 0; j < p; j++) {
                reference[j] += (double) g[j] * g[j];
            }
        }

        // batched trick; out starts at 0.5 everywhere to check that it adds
        INDArray out = Nd4j.zeros(DataType.FLOAT, p).addi(0.5);
        mlp.forward(x);
        mlp.accumulateSquaredGradients(d, out);
        float[] got = out.dup().data().asFloat();
        int nonZero = 0;
        for (int j = 0; j < p; j++) {
            double want = 0.5 + reference[j];
            double tol = 1e-5 * Math.max(Math.abs(want), Math.abs(got[j]));
            assertEquals(want, got[j], tol, act + ": parameter " + j);
            if (reference[j] > 1e-6) {
                nonZero++;
            }
        }
        // every layer contributes: at least the output layer (15 weights + 3 biases) and some hidden units
        assertTrue(nonZero > 25, act + ": only " + nonZero + " nonzero squared gradients");

        // the trick consumes the forward cache like backward does
        assertThrows(IllegalStateException.class, () -> mlp.accumulateSquaredGradients(d, out));
    }
}
