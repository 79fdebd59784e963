package org.cllab.core.learners;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.api.TrainingListener;
import org.cllab.core.loop.Budget;
import org.cllab.core.loop.TaskLoop;
import org.cllab.core.loop.TaskScope;
import org.cllab.core.loop.TrainingHook;
import org.cllab.core.nn.Activation;
import org.cllab.core.nn.Adam;
import org.cllab.core.nn.Mlp;
import org.cllab.core.nn.ParamSet;
import org.cllab.core.nn.SoftmaxCrossEntropy;
import org.cllab.core.rng.Rng;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.cllab.core.testing.SyntheticScenario;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A SameDiff graph trained through the adapter: its gradients (from {@code calculateGradientsAndOutputs}) equal the
 * hand-written MLP's, and it runs on the task loop with hooks (SI, replay) and resumes byte-identically from a
 * checkpoint of its variables, optimiser and hook state.
 */
class SameDiffModelTest {
    private static final SyntheticScenario SC = SyntheticScenario.split(2, 2, 4, 12, 2, 8);
    private static final int[] SIZES = {4, 6, 4};
    private static final long SEED = 21;

    /** An MLP of {@link #SIZES} as a SameDiff graph, starting from {@code init}'s values. */
    private static SameDiffModel graph(Mlp init) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, SIZES[0]);
        SDVariable y = sd.placeHolder("y", DataType.FLOAT, -1, SIZES[2]);
        ParamSet p = init.paramSet();
        SDVariable w0 = sd.var("W0", p.tensor("W0").value().dup());
        SDVariable b0 = sd.var("b0", p.tensor("b0").value().dup());
        SDVariable w1 = sd.var("W1", p.tensor("W1").value().dup());
        SDVariable b1 = sd.var("b1", p.tensor("b1").value().dup());
        SDVariable h = sd.nn().relu(x.mmul(w0).add(b0), 0);
        SDVariable logits = h.mmul(w1).add(b1);
        sd.loss().softmaxCrossEntropy("loss", y, logits, null);
        return new SameDiffModel(sd, "loss", b -> Map.of("x", b.features(), "y", oneHot(b.classLabels())),
                n -> new Adam(n, 0.01));
    }

    private static INDArray oneHot(int[] labels) {
        float[] v = new float[labels.length * SIZES[2]];
        for (int i = 0; i < labels.length; i++) {
            v[i * SIZES[2] + labels[i]] = 1f;
        }
        return Nd4j.create(v, new long[] {labels.length, SIZES[2]}, DataType.FLOAT);
    }

    private static Mlp init() {
        Mlp m = new Mlp(SIZES, Activation.RELU);
        m.init(Rng.forComponent(SEED, "init"));
        return m;
    }

    private static TaskScope scope(int t) {
        TaskInfo task = SC.info().task(t);
        return new TaskScope(task, SC.train(t), new MinibatchSampler(List.of(task), List.of(SC.train(t))), SEED);
    }

    @Test
    void gradientsEqualTheHandWrittenMlp() {
        Mlp mlp = init();
        SameDiffModel sd = graph(mlp);
        Minibatch b = new MinibatchSampler(List.of(SC.info().task(0), SC.info().task(1)),
                List.of(SC.train(0), SC.train(1))).epoch(16, Rng.forComponent(1, "o")).iterator().next();
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.compute(mlp.forward(b.features()), b.classLabels(), null);
        mlp.backward(r.dLogits());
        double loss = sd.computeGradients(b, null);
        assertEquals(r.loss(), loss, 1e-5);
        for (String name : List.of("W0", "b0", "W1", "b1")) {
            INDArray w = mlp.paramSet().tensor(name).gradient();
            float[] want = w.dup().reshape(w.length()).toFloatVector();
            float[] got = sd.params().tensor(name).gradient().dup().reshape(want.length).toFloatVector();
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], 1e-5, name + "[" + i + "]");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> sd.computeGradients(b, (x, l, d) -> 0.0));
    }

    private record Trained(SameDiffModel model, TaskLoop loop) {
    }

    private static Trained build() {
        SameDiffModel model = graph(init());
        LearnerContext ctx = new LearnerContext(SC.info(), Mode.CLASS_INCREMENTAL, SEED, TrainingListener.NONE);
        List<TrainingHook> hooks = List.of(new SiHook(new SiHook.Settings(1.0, 0.1), model.params()),
                new ReplayHook(new ReplayHook.Settings(10, 4, false), SIZES[0], 4, SEED));
        return new Trained(model, new TaskLoop(ctx, "sd", hooks));
    }

    private static void learn(Trained t, int task) {
        TaskLoop.TaskRun run = t.loop().begin(scope(task), 8, t.model(), true);
        run.train(Budget.epochs(2));
        run.finish();
    }

    private static byte[] state(Trained t) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (StateWriter w = new StateWriter(bytes)) {
            t.model().save("sd", w);
            t.loop().save(w);
        }
        return bytes.toByteArray();
    }

    @Test
    void trainsOnTheLoopWithHooksAndResumesByteIdentically() throws IOException {
        Trained reference = build();
        float[] start = reference.model().params().values().toFloatVector();
        learn(reference, 0);
        learn(reference, 1);
        assertFalse(java.util.Arrays.equals(start, reference.model().params().values().toFloatVector()));

        Trained again = build();
        learn(again, 0);
        learn(again, 1);
        assertArrayEquals(reference.model().params().values().toFloatVector(),
                again.model().params().values().toFloatVector(), "deterministic");

        Trained first = build();
        learn(first, 0);
        byte[] boundary = state(first);
        Trained resumed = build();
        StateReader in = new StateReader(new ByteArrayInputStream(boundary));
        resumed.model().load("sd", in);
        resumed.loop().load(in);
        learn(resumed, 1);
        assertArrayEquals(reference.model().params().values().toFloatVector(),
                resumed.model().params().values().toFloatVector());
        assertArrayEquals(state(reference), state(resumed));
    }
}
