package org.cllab.hypernets.contracon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cllab.core.rng.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Finite-difference check (double precision, central differences) of SameDiff's gradients through the whole CCT
 * graph on a tiny instance: tokenizer convolution + max-pool, LayerNorm, multi-head attention (batched matmuls,
 * permutes, softmax), GELU feed-forward, sequence pooling, label-smoothed cross-entropy; and, for a later task, through
 * the convolution over the frozen task-0 attention blocks with its gated (or plain, or no) skip.
 */
class CctGradientCheckTest {
    private static CctShape tiny(CctShape.Skip skip, boolean learnedPos) {
        return new CctShape(1, 8, 8, 1, 2, 8, 2, 2, 2, learnedPos, 3, 3, skip);
    }

    @Test
    void taskZeroGraphGradientsMatchFiniteDifferences() {
        CctShape s = tiny(CctShape.Skip.GATED, true);
        Rng rng = new Rng(1);
        Map<String, INDArray> shared = CctParams.initShared(s, rng, DataType.DOUBLE);
        Map<String, INDArray> task = CctParams.initTask(s, false, null, rng, DataType.DOUBLE);
        Map<String, INDArray> all = new HashMap<>(shared);
        all.putAll(task);
        enlarge(all, rng);
        SameDiff sd = CctGraph.build(s, all, Map.of(), false, DataType.DOUBLE);
        check(sd, s, rng, all.size());
    }

    @Test
    void reweightedGraphGradientsMatchFiniteDifferences() {
        for (CctShape.Skip skip : CctShape.Skip.values()) {
            CctShape s = tiny(skip, false);
            Rng rng = new Rng(2);
            Map<String, INDArray> shared = CctParams.initShared(s, rng, DataType.DOUBLE);
            enlarge(shared, rng);
            Map<String, INDArray> task = CctParams.initTask(s, true, null, rng, DataType.DOUBLE);
            enlarge(task, rng);
            SameDiff sd = CctGraph.build(s, task, shared, true, DataType.DOUBLE);
            check(sd, s, rng, task.size());
        }
    }

    /** Weights of std 0.02 make every path nearly linear: perturb them to a scale where the check has teeth. */
    private static void enlarge(Map<String, INDArray> p, Rng rng) {
        for (Map.Entry<String, INDArray> e : p.entrySet()) {
            INDArray a = e.getValue();
            INDArray noise = CctParams.normal(rng, 0.3, DataType.DOUBLE, a.shape());
            a.addi(noise);
        }
    }

    private static void check(SameDiff sd, CctShape s, Rng rng, int expectedVariables) {
        int n = 3;
        INDArray x = CctParams.uniform(rng, 1.0, DataType.DOUBLE, n, (long) s.channels() * s.height() * s.width());
        INDArray y = Nd4j.zeros(DataType.DOUBLE, n, s.classes()).addi(0.1 / s.classes());
        for (int i = 0; i < n; i++) {
            y.putScalar(i, i % s.classes(), y.getDouble(i, i % s.classes()) + 0.9);
        }
        Map<String, INDArray> ph = Map.of(CctGraph.X, x, CctGraph.Y, y);
        List<String> vars = sd.variables().stream().filter(v -> v.getVariableType() == VariableType.VARIABLE)
                .map(SDVariable::name).toList();
        assertEquals(expectedVariables, vars.size(), "trainable variables in the graph");
        Map<String, INDArray> grads = sd.calculateGradients(ph, vars);
        double eps = 1e-6;
        double worst = 0;
        String worstAt = "";
        int checked = 0;
        for (String name : vars) {
            INDArray v = sd.getVariable(name).getArr();
            INDArray g = grads.get(name);
            long len = v.length();
            int probes = (int) Math.min(len, 4);
            for (int k = 0; k < probes; k++) {
                long i = probes == len ? k : rng.nextInt((int) len);
                double orig = v.getDouble(i);
                v.putScalar(i, orig + eps);
                double up = loss(sd, ph);
                v.putScalar(i, orig - eps);
                double down = loss(sd, ph);
                v.putScalar(i, orig);
                double fd = (up - down) / (2 * eps);
                double an = g.getDouble(i);
                double err = Math.abs(fd - an) / Math.max(1e-4, Math.abs(fd) + Math.abs(an));
                checked++;
                if (err > worst) {
                    worst = err;
                    worstAt = name + "[" + i + "] fd=" + fd + " analytic=" + an;
                }
            }
        }
        assertTrue(checked > 40, "checked " + checked);
        assertTrue(worst < 1e-4, "worst relative error " + worst + " at " + worstAt);
    }

    private static double loss(SameDiff sd, Map<String, INDArray> ph) {
        return sd.output(ph, CctGraph.LOSS).get(CctGraph.LOSS).getDouble(0);
    }
}
