package org.cllab.core.learners;

import org.cllab.core.nn.Mlp;
import org.cllab.core.nn.SoftmaxCrossEntropy;
import org.cllab.core.nn.StepScope;
import org.cllab.core.rng.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Diagonal Fisher information of an {@link Mlp} under an {@link OutputLayout}: the mean over samples of the squared
 * per-sample gradient of the log-likelihood, computed exactly with {@link Mlp#accumulateSquaredGradients}. Used by
 * EWC and by the importance-weighted hypernetwork regulariser.
 */
public final class DiagonalFisher {
    private DiagonalFisher() {
    }

    /**
     * @param maxSamples samples used (0 = all)
     * @return a new flat float vector laid out like the MLP's parameters
     */
    public static INDArray estimate(Mlp mlp, OutputLayout layout, MinibatchSampler sampler, int maxSamples,
                                    MlpClassifier.FisherLabels labels, Rng rng) {
        INDArray fisher;
        try (MemoryWorkspace ws =
                     Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            fisher = Nd4j.zeros(DataType.FLOAT, mlp.numParams());
        }
        int limit = maxSamples <= 0 ? sampler.size() : Math.min(maxSamples, sampler.size());
        int done = 0;
        for (var it = sampler.epoch(256, rng).iterator(); it.hasNext() && done < limit; ) {
            try (StepScope scope = StepScope.open("fisher")) {
                Minibatch b = it.next();
                int n = Math.min(b.size(), limit - done);
                if (n < b.size()) {
                    b = b.head(n);
                }
                INDArray logits = mlp.forward(b.features());
                INDArray mask = layout.trainingMask(b);
                INDArray p = SoftmaxCrossEntropy.probabilities(logits, mask);
                int[] y = labels == MlpClassifier.FisherLabels.EMPIRICAL ? layout.targets(b) : sample(p, rng);
                float[] onehot = new float[(int) p.length()];
                int k = (int) p.size(1);
                for (int i = 0; i < n; i++) {
                    onehot[i * k + y[i]] = 1f;
                }
                INDArray d = p.subi(Nd4j.create(onehot, p.shape(), DataType.FLOAT));
                mlp.accumulateSquaredGradients(d, fisher);
                done += n;
            }
        }
        return fisher.divi(Math.max(1, done));
    }

    private static int[] sample(INDArray p, Rng rng) {
        int n = (int) p.size(0);
        int k = (int) p.size(1);
        float[] v = p.data().asFloat();
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble();
            double acc = 0;
            int pick = -1;
            for (int j = 0; j < k; j++) {
                if (v[i * k + j] > 0) {
                    pick = j;
                    acc += v[i * k + j];
                    if (u < acc) {
                        break;
                    }
                }
            }
            y[i] = pick;
        }
        return y;
    }
}
