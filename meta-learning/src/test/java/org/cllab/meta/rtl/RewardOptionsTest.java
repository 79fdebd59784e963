package org.cllab.meta.rtl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cllab.core.nn.Activation;
import org.cllab.core.nn.Mlp;
import org.cllab.core.nn.SoftmaxCrossEntropy;
import org.cllab.core.rng.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The reward options of {@link MetaRtlLearner} (ours): the exponential moving average of rewards (exact values), the
 * temporal-model reward against a reference body (exact value and its first-order expansion
 * {@code L(theta) - L(theta - lr g_s) ~= lr g_t . g_s}), and the validation of the two settings.
 */
class RewardOptionsTest {
    @Test
    void smoothingIsAnExponentialMovingAverageStartedAtTheFirstRewards() {
        double[] first = {0.5, -1.0, 2.0};
        assertArrayEquals(first, MetaRtlLearner.smooth(null, first, 0.9), 0);
        double[] next = MetaRtlLearner.smooth(first, new double[] {1.5, 0.0, -2.0}, 0.75);
        assertArrayEquals(new double[] {0.75 * 0.5 + 0.25 * 1.5, 0.75 * -1.0, 0.75 * 2.0 + 0.25 * -2.0}, next, 1e-15);
        assertArrayEquals(new double[] {3, 4}, MetaRtlLearner.smooth(new double[] {1, 2}, new double[] {3, 4}, 0), 0);
    }

    private static final int DIM = 6;
    private static final int HID = 8;
    private static final int CLASSES = 3;

    private static INDArray x(long seed, int n) {
        Rng r = new Rng(seed);
        float[] f = new float[n * DIM];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) r.nextGaussian();
        }
        return Nd4j.create(f, new long[] {n, DIM}, DataType.FLOAT);
    }

    private static int[] y(int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % CLASSES;
        }
        return y;
    }

    private static Mlp mlp(int[] sizes, long seed) {
        Mlp m = new Mlp(sizes, Activation.RELU);
        m.init(new Rng(seed));
        return m;
    }

    private static double loss(Mlp body, Mlp head, INDArray x, int[] y) {
        return SoftmaxCrossEntropy.compute(head.output(Transforms.relu(body.output(x), true)), y, null).loss();
    }

    /** Gradient of the loss w.r.t. the body's parameters (double copy); the head's gradient buffer is overwritten. */
    private static double[] bodyGradient(Mlp body, Mlp head, INDArray x, int[] y) {
        INDArray z = body.forward(x);
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.compute(head.forward(Transforms.relu(z, true)), y, null);
        INDArray dA = head.backwardToInput(r.dLogits());
        body.backward(dA.muli(z.gt(0).castTo(dA.dataType())));
        return body.gradient().toDoubleVector();
    }

    @Test
    void temporalRewardIsTheTargetLossDecreaseOfTheSteppedReferenceAndLeavesItsInputsAlone() {
        Mlp body = mlp(new int[] {DIM, HID}, 1);
        Mlp target = mlp(new int[] {HID, CLASSES}, 2);
        Mlp source = mlp(new int[] {HID, CLASSES}, 3);
        INDArray tx = x(10, 9);
        INDArray sx1 = x(10, 9); // the target's inputs with the same labels: a step that helps the target
        INDArray sx2 = x(12, 7);
        double[] bodyBefore = body.params().toDoubleVector();
        double[] sourceBefore = source.params().toDoubleVector();
        double lr = 0.5;
        double r = MetaRtlLearner.temporalReward(body, target, source, List.of(sx1, sx2), List.of(y(9), y(7)), tx,
                y(9), lr);
        assertArrayEquals(bodyBefore, body.params().toDoubleVector(), 0, "reference body unchanged");
        assertArrayEquals(sourceBefore, source.params().toDoubleVector(), 0, "source head unchanged");

        // the same two SGD steps by hand (body and source head, rate lr), then the loss difference
        Mlp tb = body.copy();
        Mlp th = source.copy();
        for (INDArray sx : List.of(sx1, sx2)) {
            INDArray z = tb.forward(sx);
            SoftmaxCrossEntropy.Result res = SoftmaxCrossEntropy.compute(th.forward(Transforms.relu(z, true)),
                    y((int) sx.size(0)), null);
            INDArray dA = th.backwardToInput(res.dLogits());
            tb.backward(dA.muli(z.gt(0).castTo(dA.dataType())));
            tb.params().subi(tb.gradient().mul(lr));
            th.params().subi(th.gradient().mul(lr));
        }
        double expected = loss(body, target, tx, y(9)) - loss(tb, target, tx, y(9));
        assertTrue(Math.abs(r) > 1e-3, "a non-trivial reward: " + r);
        assertEquals(expected, r, 1e-6 + 1e-4 * Math.abs(r));
    }

    @Test
    void temporalRewardMatchesItsFirstOrderExpansionForASmallStep() {
        // source batch = target batch and source head = target head: g_s = g_t, so the reward is ~ lr |g_t|^2 > 0
        Mlp body = mlp(new int[] {DIM, HID}, 4);
        Mlp target = mlp(new int[] {HID, CLASSES}, 5);
        INDArray tx = x(20, 12);
        double[] g = bodyGradient(body.copy(), target.copy(), tx, y(12));
        double gg = 0;
        for (double v : g) {
            gg += v * v;
        }
        for (double lr : new double[] {1e-2, 3e-3}) {
            double r = MetaRtlLearner.temporalReward(body, target, target.copy(), List.of(tx), List.of(y(12)), tx,
                    y(12), lr);
            double predicted = lr * gg;
            // the head's step does not enter the target loss (the target head is the unstepped one)
            assertEquals(predicted, r, 0.05 * predicted, "lr " + lr + ": reward " + r + " vs lr |g|^2 " + predicted);
        }
    }

    @Test
    void badSettingsAreRefusedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config(-1, 0));
        assertTrue(e.getMessage().contains("reward_snapshot_every"), e.getMessage());
        for (double rho : new double[] {-0.1, 1.0, Double.NaN}) {
            e = assertThrows(IllegalArgumentException.class, () -> config(0, rho));
            assertTrue(e.getMessage().contains("reward_smoothing"), e.getMessage());
        }
        assertFalse(config(5, 0.9) == null);
    }

    static MetaRtlLearner.Config config(int snapshotEvery, double smoothing) {
        return new MetaRtlLearner.Config(new int[] {16}, MetaRtlLearner.Weighting.LSTM, 1, 6, 2, 0.05, 1.0, 1, 8, 6,
                0.02, 3, 3, 0.1, 0.9, 10, 0.05, 4, snapshotEvery, smoothing);
    }
}
