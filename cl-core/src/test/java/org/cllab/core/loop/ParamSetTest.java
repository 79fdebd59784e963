package org.cllab.core.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.cllab.core.nn.Activation;
import org.cllab.core.nn.Adam;
import org.cllab.core.nn.Mlp;
import org.cllab.core.nn.ParamOptimizer;
import org.cllab.core.nn.ParamSet;
import org.cllab.core.parts.EwcPenalty;
import org.cllab.core.rng.Rng;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A contiguous parameter set (one flat vector, the MLP) and the same tensors as independent arrays give identical
 * optimiser steps and penalties: what lets hooks and optimisers work on any model.
 */
class ParamSetTest {
    private static Mlp mlp() {
        Mlp m = new Mlp(new int[] {3, 4, 2}, Activation.TANH);
        m.init(Rng.forComponent(5, "init"));
        return m;
    }

    /** The MLP's tensors copied into independent arrays. */
    private static ParamSet independentCopy(ParamSet p) {
        List<ParamSet.Tensor> t = new ArrayList<>();
        for (ParamSet.Tensor x : p.tensors()) {
            t.add(new ParamSet.Tensor(x.name(), x.value().dup(), x.gradient().dup()));
        }
        return ParamSet.of(t);
    }

    private static void fillGradients(ParamSet p, int step) {
        Rng r = Rng.forComponent(step, "g");
        for (ParamSet.Tensor t : p.tensors()) {
            float[] g = new float[(int) t.length()];
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) r.nextGaussian();
            }
            t.flatGradient().assign(Nd4j.create(g, new long[] {g.length}, DataType.FLOAT));
        }
    }

    @Test
    void mlpTensorsAreNamedViewsOfTheFlatVector() {
        Mlp m = mlp();
        ParamSet p = m.paramSet();
        assertEquals(List.of("W0", "b0", "W1", "b1"), p.names());
        assertEquals(m.numParams(), p.size());
        assertEquals(Mlp.paramShapes(new int[] {3, 4, 2}).stream().mapToLong(s -> s.length()).sum(), p.size());
        p.tensor("b1").value().assign(7);
        assertEquals(7f, m.params().getFloat(m.numParams() - 1));
    }

    @Test
    void flatAndPerTensorUpdatesAndPenaltiesAgreeExactly() {
        ParamSet flat = mlp().paramSet();
        ParamSet split = independentCopy(flat);
        ParamOptimizer a = new ParamOptimizer(flat, n -> new Adam(n, 0.01));
        ParamOptimizer b = new ParamOptimizer(split, n -> new Adam(n, 0.01));
        EwcPenalty pa = new EwcPenalty(EwcPenalty.Kind.EWC, flat.size(), 3.0, 1.0);
        EwcPenalty pb = new EwcPenalty(EwcPenalty.Kind.EWC, split.size(), 3.0, 1.0);
        INDArray fisher = Nd4j.rand(DataType.FLOAT, flat.size());
        pa.consolidate(flat.values().add(0.5), fisher);
        pb.consolidate(split.values().add(0.5), fisher);
        for (int step = 0; step < 3; step++) {
            fillGradients(flat, step);
            fillGradients(split, step);
            assertEquals(flat.addPenalty(pa::addGradient), split.addPenalty(pb::addGradient), 0.0);
            assertArrayEquals(flat.gradients().toFloatVector(), split.gradients().toFloatVector());
            a.step();
            b.step();
        }
        assertArrayEquals(flat.values().toFloatVector(), split.values().toFloatVector());
    }

    @Test
    void saveAndLoadRestoreValuesAndOptimizerState() throws IOException {
        ParamSet p = independentCopy(mlp().paramSet());
        ParamOptimizer opt = new ParamOptimizer(p, n -> new Adam(n, 0.01));
        fillGradients(p, 1);
        opt.step();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (StateWriter w = new StateWriter(bytes)) {
            p.save("p", w);
            opt.save("opt", w);
        }
        ParamSet q = independentCopy(mlp().paramSet());
        ParamOptimizer qo = new ParamOptimizer(q, n -> new Adam(n, 0.01));
        StateReader in = new StateReader(new ByteArrayInputStream(bytes.toByteArray()));
        q.load("p", in);
        qo.load("opt", in);
        assertArrayEquals(p.values().toFloatVector(), q.values().toFloatVector());
        fillGradients(p, 2);
        fillGradients(q, 2);
        opt.step();
        qo.step();
        assertArrayEquals(p.values().toFloatVector(), q.values().toFloatVector(), "moments restored");
        ParamSet wrong = independentCopy(new Mlp(new int[] {3, 5, 2}, Activation.TANH).paramSet());
        StateReader again = new StateReader(new ByteArrayInputStream(bytes.toByteArray()));
        assertThrows(IOException.class, () -> wrong.load("p", again));
    }

    @Test
    void namesAreUniqueAndShapesMustMatch() {
        INDArray a = Nd4j.zeros(DataType.FLOAT, 2);
        assertThrows(IllegalArgumentException.class, () -> ParamSet.of(List.of(new ParamSet.Tensor("x", a, a.dup()),
                new ParamSet.Tensor("x", a.dup(), a.dup()))));
        assertThrows(IllegalArgumentException.class, () -> new ParamSet.Tensor("y", a, Nd4j.zeros(DataType.FLOAT,
                3)));
    }
}
