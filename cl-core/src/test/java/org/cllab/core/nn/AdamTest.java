package org.cllab.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adam against values computed by hand with PyTorch's formula: {@code m = b1 m + (1-b1) g},
 * {@code v = b2 v + (1-b2) g^2}, {@code p -= lr * (m / (1-b1^t)) / (sqrt(v) / sqrt(1-b2^t) + eps)}.
 */
class AdamTest {
    static final float[] P0 = {1.0f, -2.0f, 0.5f};
    static final float[][] GRADS = {{0.1f, -0.2f, 0.3f}, {0.2f, 0.1f, -0.1f}, {-0.3f, 0.0f, 0.2f}};
    private static final float TOL = 2e-6f;

    static INDArray vec(float... v) {
        return Nd4j.create(v.clone(), new long[] {v.length}, DataType.FLOAT);
    }

    static float[] values(INDArray a) {
        return a.dup().data().asFloat();
    }

    @Test
    void defaultHyperParameters() {
        Adam adam = new Adam(3, 0.1);
        INDArray p = vec(P0);
        // step 1: m_hat = g and sqrt(v_hat) = |g|, so every coordinate moves by lr against the sign of g
        adam.step(p, vec(GRADS[0]));
        assertArrayEquals(new float[] {0.9f, -1.9f, 0.4f}, values(p), TOL);
        adam.step(p, vec(GRADS[1]));
        assertArrayEquals(new float[] {0.803481814f, -1.873366303f, 0.359978148f}, values(p), TOL);
        adam.step(p, vec(GRADS[2]));
        assertArrayEquals(new float[] {0.810141715f, -1.852778374f, 0.299669502f}, values(p), TOL);
    }

    @Test
    void deltaIsTheNextStepWithoutChangingState() {
        Adam adam = new Adam(3, 0.1);
        INDArray p = vec(P0);
        adam.step(p, vec(GRADS[0]));
        INDArray before = p.dup();
        // the lookahead of step 2, then step 2 itself: the step moves p by exactly the announced delta
        INDArray delta = adam.delta(vec(GRADS[1]));
        INDArray again = adam.delta(vec(GRADS[1]));
        assertArrayEquals(values(delta), values(again), 0f, "delta leaves the moments and step count alone");
        adam.step(p, vec(GRADS[1]));
        assertArrayEquals(values(p.sub(before)), values(delta), TOL);
        assertArrayEquals(new float[] {0.803481814f - 0.9f, -1.873366303f + 1.9f, 0.359978148f - 0.4f}, values(delta),
                TOL);
    }

    @Test
    void largeEpsilonIsAddedToTheBiasCorrectedSquareRoot() {
        // beta1 0.5, beta2 0.75, eps 0.1: eps is large enough that its placement changes every value.
        // Step 1, coordinate 0: m = 0.05, v = 0.0025, m_hat = 0.1, sqrt(v_hat) = 0.1,
        // p = 1 - 0.2 * 0.1 / (0.1 + 0.1) = 0.9. Coordinate 2: p = 0.5 - 0.2 * 0.3 / 0.4 = 0.35.
        Adam adam = new Adam(3, 0.2, 0.5, 0.75, 0.1);
        INDArray p = vec(P0);
        adam.step(p, vec(GRADS[0]));
        assertArrayEquals(new float[] {0.9f, -1.866666667f, 0.35f}, values(p), TOL);
        // coordinate 1 has m = 0.5 * -0.1 + 0.5 * 0.1 = 0 at step 2 and m = 0 at step 3: it must not move
        adam.step(p, vec(GRADS[1]));
        assertArrayEquals(new float[] {0.774095483f, -1.866666667f, 0.328525223f}, values(p), TOL);
        adam.step(p, vec(GRADS[2]));
        assertArrayEquals(new float[] {0.834141877f, -1.866666667f, 0.244489231f}, values(p), TOL);
    }

    @Test
    void resetRestartsBiasCorrection() {
        Adam adam = new Adam(3, 0.1);
        INDArray p = vec(P0);
        adam.step(p, vec(GRADS[0]));
        adam.step(p, vec(GRADS[1]));
        adam.reset();
        INDArray q = vec(P0);
        adam.step(q, vec(GRADS[0]));
        assertArrayEquals(new float[] {0.9f, -1.9f, 0.4f}, values(q), TOL);
    }

    @Test
    void savedStateContinuesIdentically() throws IOException {
        Adam a = new Adam(3, 0.1);
        INDArray p = vec(P0);
        a.step(p, vec(GRADS[0]));
        a.step(p, vec(GRADS[1]));
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (StateWriter w = new StateWriter(bos)) {
            a.save("opt", w);
        }
        Adam b = new Adam(3, 0.1);
        b.load("opt", new StateReader(new ByteArrayInputStream(bos.toByteArray())));
        INDArray q = p.dup();
        a.step(p, vec(GRADS[2]));
        b.step(q, vec(GRADS[2]));
        assertArrayEquals(values(p), values(q), 0f);
        assertArrayEquals(new float[] {0.810141715f, -1.852778374f, 0.299669502f}, values(q), TOL);
    }

    /** The element-wise ND4J formulation the fused update must reproduce bit for bit. */
    private static void referenceStep(INDArray p, INDArray g, INDArray m, INDArray v, long t, double lr) {
        m.muli(0.9).addi(g.mul(1 - 0.9));
        v.muli(0.999).addi(g.mul(g).muli(1 - 0.999));
        INDArray denom = org.nd4j.linalg.ops.transforms.Transforms.sqrt(v, true)
                .divi(Math.sqrt(1 - Math.pow(0.999, t))).addi(1e-8);
        p.subi(m.div(denom).muli(lr / (1 - Math.pow(0.9, t))));
    }

    @Test
    void fusedUpdateIsBitIdenticalToTheElementwiseFormulation() {
        int n = 5000;
        org.cllab.core.rng.Rng rng = new org.cllab.core.rng.Rng(11);
        float[] p0 = new float[n];
        for (int i = 0; i < n; i++) {
            p0[i] = (float) rng.nextGaussian();
        }
        INDArray p = vec(p0);
        INDArray q = vec(p0);
        INDArray m = Nd4j.zeros(DataType.FLOAT, n);
        INDArray v = Nd4j.zeros(DataType.FLOAT, n);
        Adam adam = new Adam(n, 1e-3);
        for (int t = 1; t <= 30; t++) {
            float[] g = new float[n];
            for (int i = 0; i < n; i++) {
                g[i] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(7) - 4));
            }
            referenceStep(q, vec(g), m, v, t, 1e-3);
            if (t == 30) {
                INDArray before = p.dup();
                INDArray delta = adam.delta(vec(g));
                adam.step(p, vec(g));
                assertArrayEquals(values(p.sub(before)), values(delta), 1e-6f); // p - before rounds at the ulp of p (|p| < 8)
            } else {
                adam.step(p, vec(g));
            }
            assertArrayEquals(values(q), values(p), 0f, "step " + t);
        }
        // a strided view (every other element of a larger vector) is read and written through a copy
        INDArray big = Nd4j.zeros(DataType.FLOAT, 2 * n);
        INDArray view = big.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2, 2L * n));
        Adam b = new Adam(n, 1e-3);
        b.step(view, vec(p0));
        assertArrayEquals(new float[] {0f, 0f}, new float[] {big.getFloat(1), big.getFloat(3)}, 0f);
        // first step from 0: every coordinate moves by lr against the sign of its gradient
        assertArrayEquals(new float[] {-1e-3f * Math.signum(p0[0]), -1e-3f * Math.signum(p0[1])},
                new float[] {big.getFloat(0), big.getFloat(2)}, 1e-9f);
    }
}
