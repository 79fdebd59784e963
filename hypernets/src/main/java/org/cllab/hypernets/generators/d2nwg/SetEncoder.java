package org.cllab.hypernets.generators.d2nwg;

import java.util.SplittableRandom;

/**
 * D2NWG's dataset encoder (section 3.2), our reconstruction: a few samples per class of the task pass through a
 * per-sample MLP {@code phi}; their embeddings are averaged within each class; the per-class means are then pooled
 * across classes by concatenating them in the task's class-slot order and mapping them with a second MLP {@code psi}
 * to the condition. Across-class pooling keeps slot order on purpose: the generated head's row {@code k} must score
 * the task's {@code k}-th class, so an order-free pooling could not tell the rows apart. Trained jointly with the
 * diffusion model through the gradient the denoiser loss sends to the condition.
 */
public final class SetEncoder {
    final int classes;
    final Mlp phi;
    final Mlp psi;
    private int shots;
    private int batch;

    public SetEncoder(int featureDim, int classes, int embed, int condDim, SplittableRandom rng) {
        this.classes = classes;
        this.phi = new Mlp(new int[] {featureDim, embed, embed}, rng.split());
        this.psi = new Mlp(new int[] {classes * embed, condDim, condDim}, rng.split());
    }

    public int condDim() {
        return psi.outputDim();
    }

    /**
     * Conditions of {@code n} support sets, each {@code classes * shots} feature rows ordered by class slot (all rows
     * of set 0, then set 1, ...).
     */
    public double[] forward(double[] x, int n, int shots) {
        this.shots = shots;
        this.batch = n;
        int e = phi.outputDim();
        double[] h = phi.forward(x, n * classes * shots);
        double[] pooled = new double[n * classes * e];
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < classes; k++) {
                int po = (r * classes + k) * e;
                for (int s = 0; s < shots; s++) {
                    int ho = ((r * classes + k) * shots + s) * e;
                    for (int j = 0; j < e; j++) {
                        pooled[po + j] += h[ho + j] / shots;
                    }
                }
            }
        }
        return psi.forward(pooled, n);
    }

    /** Backward of the last {@link #forward}: adds parameter gradients of {@code sum(dCond * cond)}. */
    public void backward(double[] dCond) {
        int e = phi.outputDim();
        double[] dp = psi.backward(dCond);
        double[] dh = new double[batch * classes * shots * e];
        for (int r = 0; r < batch; r++) {
            for (int k = 0; k < classes; k++) {
                int po = (r * classes + k) * e;
                for (int s = 0; s < shots; s++) {
                    int ho = ((r * classes + k) * shots + s) * e;
                    for (int j = 0; j < e; j++) {
                        dh[ho + j] = dp[po + j] / shots;
                    }
                }
            }
        }
        phi.backward(dh);
    }

    void zeroGrad() {
        phi.zeroGrad();
        psi.zeroGrad();
    }
}
