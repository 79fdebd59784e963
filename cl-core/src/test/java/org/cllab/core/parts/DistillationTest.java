package org.cllab.core.parts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cllab.core.rng.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** LwF distillation: a hand value, a finite-difference check of the gradient, and its zeros. */
class DistillationTest {
    private static final double T = 2.0;
    private static final double ALPHA = 0.7;
    private static final int N = 3;
    private static final int K = 5;

    private static INDArray randomLogits(Rng rng) {
        float[] v = new float[N * K];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (2 * rng.nextGaussian());
        }
        return Nd4j.create(v, new long[] {N, K}, DataType.FLOAT);
    }

    private static double loss(Distillation d, INDArray newLogits, INDArray oldLogits, int[][] groups) {
        return d.addGradient(newLogits, oldLogits, groups, Nd4j.zeros(DataType.FLOAT, N, K));
    }

    /**
     * One row, one group {0, 1}: old logits (0, 0) -> q = (1/2, 1/2); new logits (0, 2 ln 3), divided by T = 2:
     * (0, ln 3) -> p = (1/4, 3/4). CE(q, p) = -(1/2 ln 1/4 + 1/2 ln 3/4) = 1/2 ln(16/3) = 0.836988.
     * loss = alpha T^2 CE / n = 0.7 * 4 * 0.836988 = 2.343567. gradient = alpha T (p - q) / n = 1.4 * (-1/4, 1/4)
     * = (-0.35, 0.35); unit 2 is in no group: 0. Starting from dLogits (1, 1, 1) it must add.
     */
    @Test
    void handComputedLossAndGradient() {
        Distillation d = new Distillation(T, ALPHA);
        INDArray newL = Nd4j.create(new float[] {0f, (float) (2 * Math.log(3)), 5f}, new long[] {1, 3},
                DataType.FLOAT);
        INDArray oldL = Nd4j.create(new float[] {0f, 0f, -7f}, new long[] {1, 3}, DataType.FLOAT);
        INDArray dLogits = Nd4j.ones(DataType.FLOAT, 1, 3);
        double loss = d.addGradient(newL, oldL, new int[][] {{0, 1}}, dLogits);
        assertEquals(0.7 * 4 * 0.5 * Math.log(16.0 / 3.0), loss, 1e-5);
        assertEquals(2.343567, loss, 1e-5);
        assertArrayEquals(new float[] {0.65f, 1.35f, 1f}, dLogits.dup().data().asFloat(), 1e-6f);
    }

    /**
     * Central differences of the returned loss w.r.t. every new logit, h = 1e-2. The loss is computed from float
     * probabilities: rounding ~1e-7 relative on a loss of O(1) gives ~1e-5 error after dividing by 2h; the
     * truncation error h^2/6 * f''' is below 1e-5 here. Gradients are O(0.1), so an absolute tolerance of 2e-4 still
     * catches any wrong factor (T, alpha, 1/n) or sign.
     */
    private static void checkAgainstFiniteDifferences(int[][] groups, long seed) {
        Distillation d = new Distillation(T, ALPHA);
        Rng rng = new Rng(seed);
        INDArray newL = randomLogits(rng);
        INDArray oldL = randomLogits(rng);
        INDArray dLogits = Nd4j.zeros(DataType.FLOAT, N, K);
        double base = d.addGradient(newL, oldL, groups, dLogits);
        assertEquals(base, loss(d, newL, oldL, groups), 0.0, "loss does not depend on dLogits");
        float[] analytic = dLogits.dup().data().asFloat();
        double h = 1e-2;
        double maxAbs = 0;
        for (int i = 0; i < N; i++) {
            for (int c = 0; c < K; c++) {
                float orig = newL.getFloat(i, c);
                newL.putScalar(i, c, orig + h);
                double up = loss(d, newL, oldL, groups);
                newL.putScalar(i, c, orig - h);
                double down = loss(d, newL, oldL, groups);
                newL.putScalar(i, c, orig);
                double numeric = (up - down) / (2 * h);
                assertEquals(numeric, analytic[i * K + c], 2e-4, "d loss / d new[" + i + "][" + c + "]");
                maxAbs = Math.max(maxAbs, Math.abs(numeric));
            }
        }
        // the check is not vacuous: the gradient has entries far above the tolerance
        assertTrue(maxAbs > 0.05, "max |gradient| " + maxAbs);
    }

    @Test
    void gradientMatchesFiniteDifferencesWithTwoGroups() {
        checkAgainstFiniteDifferences(new int[][] {{0, 1, 2}, {3, 4}}, 31);
    }

    @Test
    void unitsOutsideTheGroupsGetNoGradient() {
        int[][] groups = {{0, 2}, {3, 4}};
        checkAgainstFiniteDifferences(groups, 32);
        Rng rng = new Rng(33);
        INDArray newL = randomLogits(rng);
        INDArray oldL = randomLogits(rng);
        INDArray dLogits = Nd4j.zeros(DataType.FLOAT, N, K);
        new Distillation(T, ALPHA).addGradient(newL, oldL, groups, dLogits);
        float[] g = dLogits.dup().data().asFloat();
        for (int i = 0; i < N; i++) {
            assertEquals(0f, g[i * K + 1], 0f, "unit 1 is in no group, row " + i);
            // each group's gradient is alpha T (p - q)/n and sums to zero over the group
            assertEquals(0.0, g[i * K] + g[i * K + 2], 1e-6);
            assertEquals(0.0, g[i * K + 3] + g[i * K + 4], 1e-6);
            assertTrue(Math.abs(g[i * K]) > 1e-3, "row " + i + " has a gradient on the grouped units");
        }
    }

    @Test
    void identicalLogitsGiveZeroGradient() {
        INDArray logits = randomLogits(new Rng(34));
        INDArray dLogits = Nd4j.zeros(DataType.FLOAT, N, K);
        double loss = new Distillation(T, ALPHA).addGradient(logits, logits.dup(), new int[][] {{0, 1, 2}, {3, 4}},
                dLogits);
        assertArrayEquals(new float[N * K], dLogits.dup().data().asFloat(), 0f);
        // the loss is a cross-entropy, not a KL: at new == old it is alpha T^2 times the mean entropy, > 0
        assertTrue(loss > 0, "loss " + loss);
    }
}
