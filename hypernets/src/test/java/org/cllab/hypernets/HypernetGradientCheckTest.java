package org.cllab.hypernets;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cllab.core.nn.Activation;
import org.cllab.core.nn.SoftmaxCrossEntropy;
import org.cllab.core.rng.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Finite-difference check of the whole hypernetwork path: task embedding and shared parameters (hypernetwork MLP,
 * chunk embeddings) -> generated weights -> target network -> cross-entropy, plus the output regulariser term
 * {@code ||h(e') - target||^2} (issue 4, acceptance 4).
 */
class HypernetGradientCheckTest {
    private static final int[] TARGET = {3, 4, 2};
    private static final int[] Y = {0, 1, 1, 0, 1};

    private record Setup(ChunkedHyperNetwork hnet, MlpTarget target, INDArray x, INDArray e, INDArray e2,
                         INDArray anchor) {
    }

    private static Setup setup(Activation act) {
        Rng rng = new Rng(3);
        MlpTarget target = new MlpTarget(TARGET, Activation.TANH);
        // 26 target weights in chunks of 7: the last chunk is cut, which the check covers
        ChunkedHyperNetwork hnet = new ChunkedHyperNetwork(target.numParams(), 2, 2, new int[] {5}, 7, act, rng);
        INDArray x = gaussian(rng, 5, 3);
        INDArray e = gaussian(rng, 1, 2).reshape(2);
        INDArray e2 = gaussian(rng, 1, 2).reshape(2);
        INDArray anchor = gaussian(rng, 1, (int) target.numParams()).reshape(target.numParams()).muli(0.1);
        return new Setup(hnet, target, x, e, e2, anchor);
    }

    private static INDArray gaussian(Rng rng, int r, int c) {
        float[] v = new float[r * c];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return Nd4j.create(v, new long[] {r, c}, DataType.FLOAT);
    }

    /** Task loss at e plus 0.5 * ||h(e2) - anchor||^2. */
    private static double loss(Setup s) {
        INDArray w = s.hnet().weights(s.e());
        double task = SoftmaxCrossEntropy.compute(s.target().output(s.x(), w), Y, null).loss();
        INDArray d = s.hnet().weights(s.e2()).sub(s.anchor());
        return task + 0.5 * d.mul(d).sumNumber().doubleValue();
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void embeddingAndSharedParameterGradientsMatchFiniteDifferences(Activation act) {
        Setup s = setup(act);
        s.hnet().clearGradients();
        INDArray w = s.hnet().generate(s.e());
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.compute(s.target().forward(s.x(), w), Y, null);
        INDArray de = s.hnet().backward(s.target().backward(r.dLogits())).dup();
        INDArray w2 = s.hnet().generate(s.e2());
        s.hnet().backward(w2.sub(s.anchor()));
        float[] analyticE = de.data().asFloat();
        float[] analyticMlp = s.hnet().mlpGradient().dup().data().asFloat();
        float[] analyticChunks = s.hnet().chunkGradient().dup('c').data().asFloat();

        check("task embedding", s, s.e(), analyticE);
        check("hypernetwork MLP", s, s.hnet().mlpParams(), analyticMlp);
        check("chunk embeddings", s, s.hnet().chunkEmbeddings(), analyticChunks);
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
