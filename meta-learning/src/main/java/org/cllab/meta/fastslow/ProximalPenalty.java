package org.cllab.meta.fastslow;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The slow consolidation's penalty against overfitting the few examples (our reconstruction of arXiv 2104.09034's
 * "without overfitting"): {@code mu/2 * ||phi - theta_s||^2}, a proximal term that keeps the weights adapted on a
 * task's support set close to the slow weights they started from (as in iMAML's proximal regulariser). Its
 * gradient {@code mu * (phi - theta_s)} is hand-derived and checked by finite differences.
 */
public final class ProximalPenalty {
    private final double mu;
    private INDArray anchor;

    public ProximalPenalty(double mu) {
        this.mu = mu;
    }

    /** Sets the anchor (a copy of the slow weights at the start of the inner loop). */
    public void anchorAt(INDArray theta) {
        anchor = theta.dup();
    }

    public double mu() {
        return mu;
    }

    /** {@code mu/2 ||theta - anchor||^2}. */
    public double value(INDArray theta) {
        if (mu == 0 || anchor == null) {
            return 0;
        }
        INDArray d = theta.sub(anchor);
        return 0.5 * mu * d.mul(d).sumNumber().doubleValue();
    }

    /** Adds the gradient to {@code gradient} and returns the value. */
    public double addGradient(INDArray theta, INDArray gradient) {
        if (mu == 0 || anchor == null) {
            return 0;
        }
        INDArray d = theta.sub(anchor);
        gradient.addi(d.mul(mu));
        return 0.5 * mu * d.mul(d).sumNumber().doubleValue();
    }
}
