package org.cllab.core.learners;

import java.util.Arrays;
import java.util.function.IntFunction;
import org.cllab.core.nn.SoftmaxCrossEntropy;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Task inference by minimum entropy, shared by the learners that keep one model per task behind one multi-head
 * output layout (HNET+ENT, von Oswald et al. 2020; ConTraCon's entropy rule): every candidate task's model answers
 * the batch; per sample, the task whose head's softmax has the lowest entropy wins, and its head's argmax is the
 * local prediction.
 */
public final class EntropyTaskInference {
    /**
     * Per sample: the inferred task and the local class in that task's head.
     *
     * @param task  inferred task per sample
     * @param local predicted local class per sample
     */
    public record Inference(int[] task, int[] local) {
    }

    private EntropyTaskInference() {
    }

    /**
     * @param candidates   number of candidate tasks {@code 0..candidates-1}
     * @param logits       the logits {@code [n, outputs]} of candidate task {@code j}'s model on the batch
     * @param layout       the task-incremental output layout (one head of {@code localClasses} units per task)
     * @param localClasses units per head
     * @param n            batch size
     */
    public static Inference minEntropy(int candidates, IntFunction<INDArray> logits, OutputLayout layout,
                                       int localClasses, int n) {
        int k = localClasses;
        double[] best = new double[n];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        int[] task = new int[n];
        int[] local = new int[n];
        for (int j = 0; j < candidates; j++) {
            int[] heads = new int[n];
            Arrays.fill(heads, j);
            float[] p = SoftmaxCrossEntropy.probabilities(logits.apply(j), layout.headMask(heads)).data().asFloat();
            int outs = layout.numOutputs();
            for (int i = 0; i < n; i++) {
                double h = 0;
                int arg = 0;
                float pmax = -1;
                for (int c = 0; c < k; c++) {
                    float v = p[i * outs + j * k + c];
                    if (v > 0) {
                        h -= v * Math.log(v);
                    }
                    if (v > pmax) {
                        pmax = v;
                        arg = c;
                    }
                }
                if (h < best[i]) {
                    best[i] = h;
                    task[i] = j;
                    local[i] = arg;
                }
            }
        }
        return new Inference(task, local);
    }
}
