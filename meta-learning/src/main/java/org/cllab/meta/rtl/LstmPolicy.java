package org.cllab.meta.rtl;

import java.io.IOException;
import java.util.List;
import org.cllab.core.rng.Rng;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The LSTM source policy of Meta-RTL (arXiv 2409.19075: "an LSTM policy that carries dependencies across
 * meta-iterations"; sizes, input and training window are our reconstruction). One LSTM cell (gates i, f, g, o;
 * forget-gate bias 1) reads {@code x_t = [w_{t-1}, r~_{t-1}]}; a linear layer maps its hidden state to source
 * logits. The recurrent state runs across all meta-iterations; gradients flow back through the last {@code window}
 * inputs (truncated back-propagation through time), earlier history entering through the state at the window's start.
 * Hand-derived backward pass, checked against finite differences in {@code LstmPolicyGradientTest}.
 *
 * <p>Flat layout: {@code W} ({@code 4H x (I+H)}, row-major, rows i|f|g|o), {@code b} ({@code 4H}), {@code V}
 * ({@code S x H}), {@code c} ({@code S}), with {@code I = 2S}.
 */
public final class LstmPolicy extends SourcePolicy {
    private final int in;
    private final int hidden;
    private final int offB;
    private final int offV;
    private final int offC;
    private double[] h0;
    private double[] c0;
    // forward cache over the window
    private double[][] xs;
    private double[][] hs;
    private double[][] cs;
    private double[][] gates;

    public LstmPolicy(int sources, int hidden, double lr, Reinforce reinforce, int window, Rng rng) {
        super(sources, size(sources, hidden), lr, reinforce, window);
        this.in = 2 * sources;
        this.hidden = hidden;
        this.offB = 4 * hidden * (in + hidden);
        this.offV = offB + 4 * hidden;
        this.offC = offV + sources * hidden;
        double a = 1 / Math.sqrt(hidden);
        for (int i = 0; i < offB; i++) {
            params[i] = (2 * rng.nextDouble() - 1) * a;
        }
        for (int j = 0; j < hidden; j++) {
            params[offB + hidden + j] = 1.0;
        }
        for (int i = offV; i < offC; i++) {
            params[i] = (2 * rng.nextDouble() - 1) * 0.01;
        }
        h0 = new double[hidden];
        c0 = new double[hidden];
    }

    static int size(int s, int h) {
        return 4 * h * (2 * s + h) + 4 * h + s * h + s;
    }

    /** Sets the state at the window's start (tests). */
    void setState(double[] h, double[] c) {
        h0 = h.clone();
        c0 = c.clone();
    }

    @Override
    protected double[] forward(List<double[]> window) {
        int n = window.size();
        xs = new double[n][];
        hs = new double[n + 1][];
        cs = new double[n + 1][];
        gates = new double[n][];
        hs[0] = h0;
        cs[0] = c0;
        for (int t = 0; t < n; t++) {
            xs[t] = window.get(t);
            double[] g = new double[4 * hidden];
            int cols = in + hidden;
            for (int r = 0; r < 4 * hidden; r++) {
                double z = params[offB + r];
                int row = r * cols;
                for (int k = 0; k < in; k++) {
                    z += params[row + k] * xs[t][k];
                }
                for (int k = 0; k < hidden; k++) {
                    z += params[row + in + k] * hs[t][k];
                }
                g[r] = (r >= 2 * hidden && r < 3 * hidden) ? Math.tanh(z) : sigmoid(z);
            }
            gates[t] = g;
            double[] c = new double[hidden];
            double[] h = new double[hidden];
            for (int j = 0; j < hidden; j++) {
                c[j] = g[hidden + j] * cs[t][j] + g[j] * g[2 * hidden + j];
                h[j] = g[3 * hidden + j] * Math.tanh(c[j]);
            }
            cs[t + 1] = c;
            hs[t + 1] = h;
        }
        return head(hs[n]);
    }

    private double[] head(double[] h) {
        double[] logits = new double[sources];
        for (int s = 0; s < sources; s++) {
            double z = params[offC + s];
            for (int j = 0; j < hidden; j++) {
                z += params[offV + s * hidden + j] * h[j];
            }
            logits[s] = z;
        }
        return logits;
    }

    @Override
    protected void backward(double[] dLogits) {
        int n = xs.length;
        double[] dh = new double[hidden];
        for (int s = 0; s < sources; s++) {
            grad[offC + s] += dLogits[s];
            for (int j = 0; j < hidden; j++) {
                grad[offV + s * hidden + j] += dLogits[s] * hs[n][j];
                dh[j] += params[offV + s * hidden + j] * dLogits[s];
            }
        }
        double[] dc = new double[hidden];
        int cols = in + hidden;
        for (int t = n - 1; t >= 0; t--) {
            double[] g = gates[t];
            double[] dz = new double[4 * hidden];
            for (int j = 0; j < hidden; j++) {
                double i = g[j];
                double f = g[hidden + j];
                double gg = g[2 * hidden + j];
                double o = g[3 * hidden + j];
                double th = Math.tanh(cs[t + 1][j]);
                double dcj = dh[j] * o * (1 - th * th) + dc[j];
                dz[j] = dcj * gg * i * (1 - i);
                dz[hidden + j] = dcj * cs[t][j] * f * (1 - f);
                dz[2 * hidden + j] = dcj * i * (1 - gg * gg);
                dz[3 * hidden + j] = dh[j] * th * o * (1 - o);
                dc[j] = dcj * f;
            }
            double[] dhPrev = new double[hidden];
            for (int r = 0; r < 4 * hidden; r++) {
                double d = dz[r];
                if (d == 0) {
                    continue;
                }
                grad[offB + r] += d;
                int row = r * cols;
                for (int k = 0; k < in; k++) {
                    grad[row + k] += d * xs[t][k];
                }
                for (int k = 0; k < hidden; k++) {
                    grad[row + in + k] += d * hs[t][k];
                    dhPrev[k] += params[row + in + k] * d;
                }
            }
            dh = dhPrev;
        }
    }

    @Override
    protected void dropOldest(double[] oldest) {
        forward(List.of(oldest));
        h0 = hs[1];
        c0 = cs[1];
    }

    @Override
    protected void saveExtra(String prefix, StateWriter out) throws IOException {
        out.putArray(prefix + "h0", Nd4j.createFromArray(h0));
        out.putArray(prefix + "c0", Nd4j.createFromArray(c0));
    }

    @Override
    protected void loadExtra(String prefix, StateReader in) {
        h0 = in.array(prefix + "h0").toDoubleVector();
        c0 = in.array(prefix + "c0").toDoubleVector();
    }
}
