package org.cllab.core.learners;

import org.cllab.core.api.FewShotAdapter;
import org.cllab.core.data.Batches;
import org.cllab.core.data.TaskData;
import org.cllab.core.nn.Mlp;
import org.cllab.core.nn.SoftmaxCrossEntropy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Few-shot adaptation of an MLP for the probe (issue 12): a copy of the hidden layers with a fresh, zero-initialised
 * N-way output layer, trained by full-batch plain SGD on the support set's local labels. The source network is
 * never written. The same rule serves every MLP learner, so probe curves compare representations, not adaptation
 * recipes (our reconstruction; the paper does not specify its evaluation head).
 */
public final class MlpFewShot {
    private MlpFewShot() {
    }

    /** A copy of {@code source}'s hidden layers with a zero {@code ways}-unit output layer. */
    public static Mlp withFreshHead(Mlp source, int ways) {
        int[] sizes = source.sizes();
        int last = sizes.length - 1;
        sizes[last] = ways;
        Mlp m = new Mlp(sizes, source.activation());
        long body = 0;
        for (int l = 0; l + 1 < last; l++) {
            body += (long) sizes[l] * sizes[l + 1] + sizes[l + 1];
        }
        if (body > 0) {
            m.params().get(NDArrayIndex.interval(0, body)).assign(source.params().get(NDArrayIndex.interval(0,
                    body)));
        }
        return m;
    }

    /** Adapts a copy of {@code source} to {@code support} and returns its local-label predictor. */
    public static FewShotAdapter.FewShotPredictor adapt(Mlp source, TaskData support, int ways,
                                                        FewShotAdapter.Adaptation a) {
        Mlp m = withFreshHead(source, ways);
        INDArray x = Batches.features(support, 0, support.size());
        int[] y = new int[support.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = support.localLabel(i);
        }
        for (int s = 0; s < a.steps(); s++) {
            INDArray logits = m.forward(x);
            m.backward(SoftmaxCrossEntropy.compute(logits, y, null).dLogits());
            m.params().subi(m.gradient().mul(a.lr()));
        }
        return q -> Nd4j.argMax(m.output(q.features()), 1).toIntVector();
    }
}
