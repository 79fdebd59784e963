package org.cllab.hypernets;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cllab.core.nn.Activation;
import org.cllab.core.nn.SoftmaxCrossEntropy;
import org.cllab.core.rng.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Finite-difference check of the whole hypernetwork path (issue 4, acceptance 4): task embeddings and shared
 * parameters -> generated weights (a batch of two embeddings) -> target network -> cross-entropy on the first, plus
 * the output-regulariser term {@code 0.5 ||h(e2) - anchor||^2} on the second. Run for the chunked MLP hypernetwork
 * (ReLU and tanh) and the LSTM hypernetwork (also after a growth step).
 */
class HypernetGradientCheckTest {
    private static final int[] TARGET = {3, 4, 2};
    private static final int[] Y = {0, 1, 1, 0, 1};

    private record Setup(HyperNetwork hnet, MlpTarget target, INDArray x, INDArray embeddings, INDArray anchor) {
    }

    private static Setup setup(String kind) {
        Rng rng = new Rng(3);
        MlpTarget target = new MlpTarget(TARGET, Activation.TANH);
        // 26 target weights in chunks of 7: the last chunk is cut, which the check covers
        HyperNetwork hnet = switch (kind) {
            case "mlp-relu" -> new ChunkedHyperNetwork(target.numParams(), 2, 2, new int[] {5}, 7, Activation.RELU, rng);
            case "mlp-tanh" -> new ChunkedHyperNetwork(target.numParams(), 2, 2, new int[] {5}, 7, Activation.TANH, rng);
            case "lstm" -> new RnnHyperNetwork(target.numParams(), 2, 2, 5, 7, rng);
            case "lstm-grown" -> {
                RnnHyperNetwork r = new RnnHyperNetwork(target.numParams(), 2, 2, 5, 7, rng);
                r.grow(3, rng);
                // give the new units' zero outgoing weights a value so their gradient paths are exercised too
                for (INDArray p : r.sharedParams()) {
                    p.addi(gaussian(rng, 1, (int) p.length()).reshape(p.shape()).muli(0.1));
                }
                yield r;
            }
            default -> throw new IllegalArgumentException(kind);
        };
        INDArray x = gaussian(rng, 5, 3);
        INDArray e = gaussian(rng, 2, 2);
        INDArray anchor = gaussian(rng, 1, (int) target.numParams()).muli(0.1);
        return new Setup(hnet, target, x, e, anchor);
    }

    private static INDArray gaussian(Rng rng, int r, int c) {
        float[] v = new float[r * c];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return Nd4j.create(v, new long[] {r, c}, DataType.FLOAT);
    }

    private static double loss(Setup s) {
        INDArray w = s.hnet().weights(s.embeddings());
        double task = SoftmaxCrossEntropy.compute(s.target().output(s.x(), w.getRow(0)), Y, null).loss();
        INDArray d = w.getRow(1).sub(s.anchor().reshape(s.anchor().length()));
        return task + 0.5 * d.mul(d).sumNumber().doubleValue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp-relu", "mlp-tanh", "lstm", "lstm-grown"})
    void gradientsMatchFiniteDifferences(String kind) {
        Setup s = setup(kind);
        s.hnet().clearGradients();
        INDArray w = s.hnet().generate(s.embeddings());
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.compute(s.target().forward(s.x(), w.getRow(0)), Y, null);
        INDArray dW = Nd4j.zeros(DataType.FLOAT, w.shape());
        dW.getRow(0).assign(s.target().backward(r.dLogits()));
        dW.getRow(1).assign(w.getRow(1).sub(s.anchor().reshape(s.anchor().length())));
        float[] analyticE = s.hnet().backward(dW).dup('c').data().asFloat();
        check(kind + " task embeddings", s, s.embeddings(), analyticE);
        List<INDArray> params = s.hnet().sharedParams();
        List<INDArray> grads = s.hnet().sharedGradients();
        for (int k = 0; k < params.size(); k++) {
            check(kind + " shared parameter block " + k, s, params.get(k), grads.get(k).dup().data().asFloat());
        }
    }

    private static void check(String what, Setup s, INDArray param, float[] analytic) {
        INDArray flat = param.reshape(param.length());
        double eps = 1e-2;
        double maxRel = 0;
        for (int i = 0; i < analytic.length; i++) {
            float orig = flat.getFloat(i);
            flat.putScalar(i, orig + eps);
            double up = loss(s);
            flat.putScalar(i, orig - eps);
            double down = loss(s);
            flat.putScalar(i, orig);
            double numeric = (up - down) / (2 * eps);
            double rel = Math.abs(numeric - analytic[i]) / Math.max(1e-3, Math.abs(numeric) + Math.abs(analytic[i]));
            maxRel = Math.max(maxRel, rel);
        }
        assertTrue(maxRel < 2e-2, what + ": max relative error " + maxRel);
    }
}
