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
 * Hand-computed values of the EWC and online-EWC penalty on a 3-parameter model.
 *
 * <pre>
 *   a1 = (1, 2, 3)  F1 = (0.5, 1, 2)
 *   a2 = (0, 1, 1)  F2 = (1,   0, 1)
 *   theta = (2, 0, 1), lambda = 2
 * </pre>
 */
class EwcPenaltyTest {
    private static final double LAMBDA = 2.0;
    private static final double GAMMA = 0.5;
    private static final double TOL = 1e-6;

    private static INDArray vec(float... v) {
        return Nd4j.create(v, new long[] {3}, DataType.FLOAT);
    }

    private static INDArray a1() {
        return vec(1, 2, 3);
    }

    private static INDArray f1() {
        return vec(0.5f, 1, 2);
    }

    private static INDArray a2() {
        return vec(0, 1, 1);
    }

    private static INDArray f2() {
        return vec(1, 0, 1);
    }

    private static INDArray theta() {
        return vec(2, 0, 1);
    }

    /** Start of the gradient: nonzero so that "adds" is distinguishable from "overwrites". */
    private static INDArray g0() {
        return vec(0.25f, -1, 3);
    }

    private static EwcPenalty twoAnchors(EwcPenalty.Kind kind) {
        EwcPenalty p = new EwcPenalty(kind, 3, LAMBDA, GAMMA);
        p.consolidate(a1(), f1());
        p.consolidate(a2(), f2());
        return p;
    }

    private static float[] floats(INDArray a) {
        return a.dup().data().asFloat();
    }

    @Test
    void ewcSumsOneQuadraticPerAnchor() {
        EwcPenalty p = twoAnchors(EwcPenalty.Kind.EWC);
        assertEquals(2, p.anchors());
        // task 1: theta - a1 = (1, -2, -2); F1 (theta - a1)^2 = 0.5*1 + 1*4 + 2*4 = 12.5
        // task 2: theta - a2 = (2, -1,  0); F2 (theta - a2)^2 = 1*4   + 0*1 + 1*0 = 4
        // value = lambda/2 * (12.5 + 4) = 1 * 16.5 = 16.5
        assertEquals(16.5, p.value(theta()), TOL);

        // gradient = lambda * (F1 (theta - a1) + F2 (theta - a2))
        //          = 2 * ((0.5, -2, -4) + (2, 0, 0)) = 2 * (2.5, -2, -4) = (5, -4, -8)
        // added to g0 = (0.25, -1, 3): (5.25, -5, -5)
        INDArray g = g0();
        double v = p.addGradient(theta(), g);
        assertEquals(16.5, v, TOL, "addGradient returns the penalty value");
        assertArrayEquals(new float[] {5.25f, -5f, -5f}, floats(g), 1e-6f);
        // theta itself is not modified
        assertArrayEquals(new float[] {2, 0, 1}, floats(theta()), 0f);
    }

    @Test
    void ewcWithOneAnchorIsThatAnchorsQuadratic() {
        EwcPenalty p = new EwcPenalty(EwcPenalty.Kind.EWC, 3, LAMBDA, GAMMA);
        p.consolidate(a1(), f1());
        // lambda/2 * 12.5 = 12.5
        assertEquals(12.5, p.value(theta()), TOL);
        // at the anchor the penalty and its gradient vanish
        assertEquals(0.0, p.value(a1()), TOL);
        INDArray g = g0();
        p.addGradient(a1(), g);
        assertArrayEquals(new float[] {0.25f, -1f, 3f}, floats(g), 1e-6f);
    }

    @Test
    void onlineEwcDecaysTheFisherAndKeepsOnlyTheLatestAnchor() {
        EwcPenalty p = new EwcPenalty(EwcPenalty.Kind.ONLINE, 3, LAMBDA, GAMMA);
        p.consolidate(a1(), f1());
        assertEquals(1, p.anchors());
        // after one task: F = F1, anchor a1 -> same as EWC: 12.5
        assertEquals(12.5, p.value(theta()), TOL);

        p.consolidate(a2(), f2());
        assertEquals(1, p.anchors());
        // F = gamma F1 + F2 = (0.25, 0.5, 1) + (1, 0, 1) = (1.25, 0.5, 2); anchor a2 only
        // theta - a2 = (2, -1, 0); F (theta - a2)^2 = 1.25*4 + 0.5*1 + 2*0 = 5.5; value = 2/2 * 5.5 = 5.5
        assertEquals(5.5, p.value(theta()), TOL);
        // gradient = 2 * (1.25*2, 0.5*-1, 2*0) = (5, -1, 0); plus g0 (0.25, -1, 3) = (5.25, -2, 3)
        INDArray g = g0();
        assertEquals(5.5, p.addGradient(theta(), g), TOL);
        assertArrayEquals(new float[] {5.25f, -2f, 3f}, floats(g), 1e-6f);
        // the old anchor a1 no longer attracts: at a2 the penalty is zero
        assertEquals(0.0, p.value(a2()), TOL);
    }

    @Test
    void noAnchorMeansNoPenaltyAndUntouchedGradient() {
        for (EwcPenalty.Kind kind : EwcPenalty.Kind.values()) {
            EwcPenalty p = new EwcPenalty(kind, 3, LAMBDA, GAMMA);
            assertEquals(0, p.anchors());
            assertEquals(0.0, p.value(theta()), 0.0, kind.name());
            INDArray g = g0();
            assertEquals(0.0, p.addGradient(theta(), g), 0.0, kind.name());
            assertArrayEquals(new float[] {0.25f, -1f, 3f}, floats(g), 0f, kind.name());
        }
    }

    private static EwcPenalty roundTrip(EwcPenalty p, EwcPenalty.Kind kind) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (StateWriter w = new StateWriter(bos)) {
            p.save("ewc", w);
        }
        EwcPenalty q = new EwcPenalty(kind, 3, LAMBDA, GAMMA);
        q.load("ewc", new StateReader(new ByteArrayInputStream(bos.toByteArray())));
        return q;
    }

    @Test
    void saveLoadRoundTripRestoresThePenalty() throws IOException {
        for (EwcPenalty.Kind kind : EwcPenalty.Kind.values()) {
            EwcPenalty p = twoAnchors(kind);
            EwcPenalty q = roundTrip(p, kind);
            assertEquals(p.anchors(), q.anchors(), kind.name());
            double expected = kind == EwcPenalty.Kind.EWC ? 16.5 : 5.5;
            assertEquals(expected, q.value(theta()), TOL, kind.name());
            assertEquals(p.value(theta()), q.value(theta()), 0.0, kind.name());
            INDArray gp = g0();
            INDArray gq = g0();
            p.addGradient(theta(), gp);
            q.addGradient(theta(), gq);
            assertArrayEquals(floats(gp), floats(gq), 0f, kind.name());

            // the loaded penalty keeps consolidating like the original (running sums / decayed Fisher restored)
            INDArray a3 = vec(-1, 0.5f, 2);
            INDArray f3 = vec(2, 3, 0.25f);
            p.consolidate(a3, f3);
            q.consolidate(a3, f3);
            assertEquals(p.anchors(), q.anchors(), kind.name());
            assertEquals(p.value(theta()), q.value(theta()), 0.0, kind.name());
        }
        // hand value after the third anchor, EWC: theta - a3 = (3, -0.5, -1); F3 (theta-a3)^2 = 18 + 0.75 + 0.25 = 19
        // value = 16.5 + 19 = 35.5
        EwcPenalty q = roundTrip(twoAnchors(EwcPenalty.Kind.EWC), EwcPenalty.Kind.EWC);
        q.consolidate(vec(-1, 0.5f, 2), vec(2, 3, 0.25f));
        assertEquals(35.5, q.value(theta()), TOL);
        // online: F = gamma (1.25, 0.5, 2) + F3 = (0.625, 0.25, 1) + (2, 3, 0.25) = (2.625, 3.25, 1.25), anchor a3
        // F (theta-a3)^2 = 2.625*9 + 3.25*0.25 + 1.25*1 = 23.625 + 0.8125 + 1.25 = 25.6875 = value (lambda/2 = 1)
        EwcPenalty o = roundTrip(twoAnchors(EwcPenalty.Kind.ONLINE), EwcPenalty.Kind.ONLINE);
        o.consolidate(vec(-1, 0.5f, 2), vec(2, 3, 0.25f));
        assertEquals(25.6875, o.value(theta()), TOL);
    }
}
