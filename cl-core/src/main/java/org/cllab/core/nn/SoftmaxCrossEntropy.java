package org.cllab.core.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Mean softmax cross-entropy over a batch, with an optional per-row set of allowed outputs (multi-head training:
 * outputs outside the sample's head get probability zero and receive no gradient).
 */
public final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {
    }

    /** Loss value and its gradient w.r.t. the logits. */
    public record Result(double loss, INDArray dLogits) {
    }

    /**
     * @param logits  {@code [n, k]}
     * @param targets output index of every row
     * @param allowed {@code [n, k]} 0/1 mask of allowed outputs, or {@code null} for all
     */
    public static Result compute(INDArray logits, int[] targets, INDArray allowed) {
        int n = (int) logits.size(0);
        int k = (int) logits.size(1);
        INDArray p = probabilities(logits, allowed);
        float[] pf = p.data().asFloat();
        double loss = 0;
        float[] onehot = new float[n * k];
        for (int i = 0; i < n; i++) {
            int t = targets[i];
            if (t < 0 || t >= k) {
                throw new IllegalArgumentException("target " + t + " outside 0.." + (k - 1));
            }
            loss -= Math.log(Math.max(pf[i * k + t], 1e-30f));
            onehot[i * k + t] = 1f;
        }
        INDArray d = p.subi(Nd4j.create(onehot, new long[] {n, k}, DataType.FLOAT)).divi(n);
        return new Result(loss / n, d);
    }

    /** Row-wise softmax of {@code logits} restricted to {@code allowed} (null = all). Returns a new array. */
    public static INDArray probabilities(INDArray logits, INDArray allowed) {
        INDArray z = logits.dup();
        if (allowed != null) {
            // push disallowed logits far down: exp underflows to exactly 0
            z.addi(allowed.rsub(1.0).muli(-1e9));
        }
        INDArray max = z.max(1).reshape(z.size(0), 1);
        z.subiColumnVector(max);
        Transforms.exp(z, false);
        INDArray s = z.sum(1).reshape(z.size(0), 1);
        return z.diviColumnVector(s);
    }
}
