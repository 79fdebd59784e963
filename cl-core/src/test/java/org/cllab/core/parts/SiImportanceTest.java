package org.cllab.core.parts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * Hand-computed Synaptic Intelligence on a 2-parameter model, c = 0.5, xi = 0.25.
 *
 * <pre>
 * task 1: start (1, -1)
 *   step 1: g = (3, -3), (1, -1)    -> (0.5, -0.5), delta = (-0.5, 0.5)
 *           -g*delta = (1.5, 1.5)                    omega = (1.5, 1.5)
 *   step 2: g = (2, 7),  (0.5,-0.5) -> (0, -0.5),   delta = (-0.5, 0)
 *           -g*delta = (1, 0)                        omega = (2.5, 1.5)
 *   end (0, -0.5): d = end - start = (-1, 0.5), d^2 + xi = (1.25, 0.5)
 *           Omega = (2.5/1.25, 1.5/0.5) = (2, 3), anchor = (0, -0.5)
 * </pre>
 */
class SiImportanceTest {
    private static final double C = 0.5;
    private static final double XI = 0.25;
    private static final double TOL = 1e-6;

    private static INDArray vec(float... v) {
        return Nd4j.create(v, new long[] {2}, DataType.FLOAT);
    }

    private static double[] doubles(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup().data().asDouble();
    }

    private static float[] floats(INDArray a) {
        return a.dup().data().asFloat();
    }

    /** Runs task 1 of the class comment. */
    private static SiImportance afterTaskOne() {
        SiImportance si = new SiImportance(2, C, XI);
        si.beginTask(vec(1, -1));
        si.accumulate(vec(3, -3), vec(1, -1), vec(0.5f, -0.5f));
        assertArrayEquals(new double[] {1.5, 1.5}, doubles(si.pathIntegral()), TOL);
        si.accumulate(vec(2, 7), vec(0.5f, -0.5f), vec(0, -0.5f));
        assertArrayEquals(new double[] {2.5, 1.5}, doubles(si.pathIntegral()), TOL);
        si.endTask(vec(0, -0.5f));
        return si;
    }

    @Test
    void noPenaltyBeforeTheFirstTaskEnds() {
        SiImportance si = new SiImportance(2, C, XI);
        si.beginTask(vec(1, -1));
        si.accumulate(vec(3, -3), vec(1, -1), vec(0.5f, -0.5f));
        INDArray g = vec(0.5f, 0.5f);
        assertEquals(0.0, si.addGradient(vec(5, 5), g), 0.0);
        assertArrayEquals(new float[] {0.5f, 0.5f}, floats(g), 0f);
        assertArrayEquals(new double[] {0, 0}, doubles(si.importance()), 0.0);
    }

    @Test
    void endOfTaskNormalisesThePathIntegral() {
        SiImportance si = afterTaskOne();
        assertArrayEquals(new double[] {2, 3}, doubles(si.importance()), TOL);
        assertArrayEquals(new double[] {0, 0}, doubles(si.pathIntegral()), 0.0, "omega resets at the task end");

        // penalty at theta = (0.5, -2.5): theta - anchor = (0.5, -2)
        // value = c * sum Omega (theta - anchor)^2 = 0.5 * (2*0.25 + 3*4) = 0.5 * 12.5 = 6.25
        // gradient = 2c Omega (theta - anchor) = 1 * (2*0.5, 3*-2) = (1, -6); plus (0.5, 0.5) -> (1.5, -5.5)
        INDArray g = vec(0.5f, 0.5f);
        assertEquals(6.25, si.addGradient(vec(0.5f, -2.5f), g), TOL);
        assertArrayEquals(new float[] {1.5f, -5.5f}, floats(g), 1e-6f);

        // at the anchor: no penalty, no gradient
        INDArray g2 = vec(0.5f, 0.5f);
        assertEquals(0.0, si.addGradient(vec(0, -0.5f), g2), TOL);
        assertArrayEquals(new float[] {0.5f, 0.5f}, floats(g2), 0f);
    }

    /**
     * Task 2 from the anchor (0, -0.5): one step g = (-2, 1), (0, -0.5) -> (1, -1), delta = (1, -0.5),
     * -g*delta = (2, 0.5) = omega.
     */
    private static void startTaskTwo(SiImportance si) {
        si.beginTask(vec(0, -0.5f));
        si.accumulate(vec(-2, 1), vec(0, -0.5f), vec(1, -1));
        assertArrayEquals(new double[] {2, 0.5}, doubles(si.pathIntegral()), TOL);
    }

    /**
     * End of task 2 at (1, -1): d = (1, -0.5), d^2 + xi = (1.25, 0.5), task Omega = (2/1.25, 0.5/0.5) = (1.6, 1).
     * Total Omega = (2, 3) + (1.6, 1) = (3.6, 4), anchor (1, -1).
     */
    private static void finishTaskTwo(SiImportance si) {
        si.endTask(vec(1, -1));
    }

    @Test
    void secondTaskAddsItsImportance() {
        SiImportance si = afterTaskOne();
        startTaskTwo(si);
        finishTaskTwo(si);
        assertArrayEquals(new double[] {3.6, 4}, doubles(si.importance()), TOL);
        // theta = (0, 0): theta - anchor = (-1, 1)
        // value = 0.5 * (3.6*1 + 4*1) = 3.8; gradient = 1 * (3.6*-1, 4*1) = (-3.6, 4)
        INDArray g = vec(0, 0);
        assertEquals(3.8, si.addGradient(vec(0, 0), g), TOL);
        assertArrayEquals(new float[] {-3.6f, 4f}, floats(g), 1e-6f);
    }

    @Test
    void saveLoadMidTaskContinuesIdentically() throws IOException {
        SiImportance si = afterTaskOne();
        startTaskTwo(si);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (StateWriter w = new StateWriter(bos)) {
            si.save("si", w);
        }
        SiImportance loaded = new SiImportance(2, C, XI);
        loaded.load("si", new StateReader(new ByteArrayInputStream(bos.toByteArray())));
        // omega, Omega, anchor and the task start survive: finishing task 2 gives the same hand values
        assertArrayEquals(doubles(si.pathIntegral()), doubles(loaded.pathIntegral()), 0.0);
        assertArrayEquals(doubles(si.importance()), doubles(loaded.importance()), 0.0);
        INDArray g = vec(0, 0);
        assertEquals(6.25, loaded.addGradient(vec(0.5f, -2.5f), g), TOL, "task-1 anchor and Omega restored");
        finishTaskTwo(si);
        finishTaskTwo(loaded);
        assertArrayEquals(new double[] {3.6, 4}, doubles(loaded.importance()), TOL);
        assertArrayEquals(doubles(si.importance()), doubles(loaded.importance()), 0.0);
        assertEquals(3.8, loaded.addGradient(vec(0, 0), vec(0, 0)), TOL);
    }
}
