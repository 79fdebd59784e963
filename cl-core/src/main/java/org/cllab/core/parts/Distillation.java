package org.cllab.core.parts;

import org.cllab.core.nn.SoftmaxCrossEntropy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Knowledge distillation of Learning without Forgetting (Li &amp; Hoiem 2017): for each group of old output units
 * (the old classes in class-incremental mode, each old head in task-incremental mode, the shared head in
 * domain-incremental mode) the new model's temperature-softened softmax is pulled towards the old model's:
 * {@code loss = alpha * T^2 * mean_n sum_groups CE(softmax(old/T), softmax(new/T))}, whose gradient w.r.t. the new
 * logits is {@code alpha * T * (p_new - p_old) / n} on the group's units. The {@code T^2} factor keeps the gradient
 * scale independent of {@code T} (Hinton et al. 2015).
 */
public final class Distillation {
    private final double temperature;
    private final double alpha;

    public Distillation(double temperature, double alpha) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be > 0");
        }
        this.temperature = temperature;
        this.alpha = alpha;
    }

    /**
     * Adds the distillation gradient to {@code dLogits} and returns the loss.
     *
     * @param newLogits {@code [n, k]} of the model being trained
     * @param oldLogits {@code [n, k]} of the frozen previous model on the same inputs
     * @param groups    column groups, each softmaxed separately
     */
    public double addGradient(INDArray newLogits, INDArray oldLogits, int[][] groups, INDArray dLogits) {
        int n = (int) newLogits.size(0);
        int k = (int) newLogits.size(1);
        double loss = 0;
        for (int[] g : groups) {
            if (g.length == 0) {
                continue;
            }
            float[] maskv = new float[n * k];
            for (int i = 0; i < n; i++) {
                for (int c : g) {
                    maskv[i * k + c] = 1f;
                }
            }
            INDArray mask = Nd4j.create(maskv, new long[] {n, k}, DataType.FLOAT);
            INDArray pNew = SoftmaxCrossEntropy.probabilities(newLogits.div(temperature), mask);
            INDArray pOld = SoftmaxCrossEntropy.probabilities(oldLogits.div(temperature), mask);
            float[] pn = pNew.data().asFloat();
            float[] po = pOld.data().asFloat();
            double l = 0;
            for (int i = 0; i < n; i++) {
                for (int c : g) {
                    float q = po[i * k + c];
                    if (q > 0) {
                        l -= q * Math.log(Math.max(pn[i * k + c], 1e-30f));
                    }
                }
            }
            loss += alpha * temperature * temperature * l / n;
            dLogits.addi(pNew.subi(pOld).muli(alpha * temperature / n));
        }
        return loss;
    }
}
