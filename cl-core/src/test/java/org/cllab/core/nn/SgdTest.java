package org.cllab.core.nn;

import static org.cllab.core.nn.AdamTest.GRADS;
import static org.cllab.core.nn.AdamTest.P0;
import static org.cllab.core.nn.AdamTest.values;
import static org.cllab.core.nn.AdamTest.vec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SGD against hand-computed values, PyTorch's heavy-ball momentum without dampening:
 * {@code buf = mu * buf + g; p -= lr * buf}.
 */
class SgdTest {
    private static final float TOL = 1e-6f;

    @Test
    void withMomentum() {
        Sgd sgd = new Sgd(3, 0.1, 0.9);
        INDArray p = vec(P0);
        // buf = g1 = (0.1, -0.2, 0.3); p = (1, -2, 0.5) - 0.1 * buf
        sgd.step(p, vec(GRADS[0]));
        assertArrayEquals(new float[] {0.99f, -1.98f, 0.47f}, values(p), TOL);
        // buf = 0.9 * g1 + g2 = (0.29, -0.08, 0.17)
        sgd.step(p, vec(GRADS[1]));
        assertArrayEquals(new float[] {0.961f, -1.972f, 0.453f}, values(p), TOL);
        // buf = 0.9 * (0.29, -0.08, 0.17) + g3 = (-0.039, -0.072, 0.353)
        sgd.step(p, vec(GRADS[2]));
        assertArrayEquals(new float[] {0.9649f, -1.9648f, 0.4177f}, values(p), TOL);
    }

    @Test
    void withoutMomentum() {
        Sgd sgd = new Sgd(3, 0.1, 0.0);
        INDArray p = vec(P0);
        sgd.step(p, vec(GRADS[0]));
        assertArrayEquals(new float[] {0.99f, -1.98f, 0.47f}, values(p), TOL);
        sgd.step(p, vec(GRADS[1]));
        assertArrayEquals(new float[] {0.97f, -1.99f, 0.48f}, values(p), TOL);
        sgd.step(p, vec(GRADS[2]));
        assertArrayEquals(new float[] {1.0f, -1.99f, 0.46f}, values(p), TOL);
    }

    @Test
    void resetClearsVelocity() {
        Sgd sgd = new Sgd(3, 0.1, 0.9);
        sgd.step(vec(P0), vec(GRADS[0]));
        sgd.reset();
        INDArray p = vec(P0);
        sgd.step(p, vec(GRADS[1]));
        assertArrayEquals(new float[] {0.98f, -2.01f, 0.51f}, values(p), TOL);
    }

    @Test
    void savedVelocityContinuesIdentically() throws IOException {
        Sgd a = new Sgd(3, 0.1, 0.9);
        INDArray p = vec(P0);
        a.step(p, vec(GRADS[0]));
        a.step(p, vec(GRADS[1]));
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (StateWriter w = new StateWriter(bos)) {
            a.save("opt", w);
        }
        Sgd b = new Sgd(3, 0.1, 0.9);
        b.load("opt", new StateReader(new ByteArrayInputStream(bos.toByteArray())));
        INDArray q = p.dup();
        a.step(p, vec(GRADS[2]));
        b.step(q, vec(GRADS[2]));
        assertArrayEquals(values(p), values(q), 0f);
        assertArrayEquals(new float[] {0.9649f, -1.9648f, 0.4177f}, values(q), TOL);
    }
}
