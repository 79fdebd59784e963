package org.cllab.meta.rtl;

import java.util.List;
import org.cllab.core.rng.Rng;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;

/**
 * The memoryless ablation of the {@link LstmPolicy} (our reconstruction; the Meta-RTL abstract argues for the LSTM
 * over a policy without memory): {@code logits = V tanh(W x_t + b) + c} on the current input only. Flat layout:
 * {@code W} ({@code H x 2S}), {@code b} ({@code H}), {@code V} ({@code S x H}), {@code c} ({@code S}).
 */
public final class MlpPolicy extends SourcePolicy {
    private final int in;
    private final int hidden;
    private final int offB;
    private final int offV;
    private final int offC;
    private double[] x;
    private double[] a;

    public MlpPolicy(int sources, int hidden, double lr, Reinforce reinforce, Rng rng) {
        super(sources, hidden * 2 * sources + hidden + sources * hidden + sources, lr, reinforce, 1);
        this.in = 2 * sources;
        this.hidden = hidden;
        this.offB = hidden * in;
        this.offV = offB + hidden;
        this.offC = offV + sources * hidden;
        double s = 1 / Math.sqrt(in);
        for (int i = 0; i < offB; i++) {
            params[i] = (2 * rng.nextDouble() - 1) * s;
        }
        for (int i = offV; i < offC; i++) {
            params[i] = (2 * rng.nextDouble() - 1) * 0.01;
        }
    }

    @Override
    protected double[] forward(List<double[]> window) {
        x = window.get(window.size() - 1);
        a = new double[hidden];
        for (int j = 0; j < hidden; j++) {
            double z = params[offB + j];
            for (int k = 0; k < in; k++) {
                z += params[j * in + k] * x[k];
            }
            a[j] = Math.tanh(z);
        }
        double[] logits = new double[sources];
        for (int s = 0; s < sources; s++) {
            double z = params[offC + s];
            for (int j = 0; j < hidden; j++) {
                z += params[offV + s * hidden + j] * a[j];
            }
            logits[s] = z;
        }
        return logits;
    }

    @Override
    protected void backward(double[] dLogits) {
        double[] da = new double[hidden];
        for (int s = 0; s < sources; s++) {
            grad[offC + s] += dLogits[s];
            for (int j = 0; j < hidden; j++) {
                grad[offV + s * hidden + j] += dLogits[s] * a[j];
                da[j] += params[offV + s * hidden + j] * dLogits[s];
            }
        }
        for (int j = 0; j < hidden; j++) {
            double dz = da[j] * (1 - a[j] * a[j]);
            grad[offB + j] += dz;
            for (int k = 0; k < in; k++) {
                grad[j * in + k] += dz * x[k];
            }
        }
    }

    @Override
    protected void dropOldest(double[] oldest) {
    }

    @Override
    protected void saveExtra(String prefix, StateWriter out) {
    }

    @Override
    protected void loadExtra(String prefix, StateReader in) {
    }
}
