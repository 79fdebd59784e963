package org.cllab.hypernets.generators.d2nwg;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A small fully connected network in plain Java doubles with hand-derived backpropagation: layers
 * {@code sizes[0] -> sizes[1] -> ... -> sizes[k]}, SiLU between layers, identity output. Parameters live in one flat
 * array (per layer: weights {@code [out][in]} row-major, then biases) so that Adam, EMA and checkpoints treat them as
 * one vector. The gradients are checked against central finite differences in {@code D2nwgGradientTest}.
 *
 * <p>Used for every network of D2NWG here (VAE encoder and decoder, set encoder, denoiser): they are all small
 * (at most a few hundred thousand weights), and double precision keeps the finite-difference tests tight.
 */
public final class Mlp {
    private final int[] sizes;
    private final int[] offsets;
    final double[] params;
    final double[] grads;
    // forward caches: pre-activations and activations per layer, for the last batch
    private double[][] pre;
    private double[][] act;
    private int batch;

    public Mlp(int[] sizes, SplittableRandom rng) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("an MLP needs at least input and output sizes");
        }
        this.sizes = sizes.clone();
        this.offsets = new int[sizes.length];
        int n = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            offsets[l] = n;
            n += sizes[l] * sizes[l + 1] + sizes[l + 1];
        }
        offsets[sizes.length - 1] = n;
        params = new double[n];
        grads = new double[n];
        for (int l = 0; l + 1 < sizes.length; l++) {
            double bound = Math.sqrt(6.0 / (sizes[l] + sizes[l + 1])); // Glorot uniform
            for (int i = 0; i < sizes[l] * sizes[l + 1]; i++) {
                params[offsets[l] + i] = (rng.nextDouble() * 2 - 1) * bound;
            }
        }
    }

    public int inputDim() {
        return sizes[0];
    }

    public int outputDim() {
        return sizes[sizes.length - 1];
    }

    public int numParams() {
        return params.length;
    }

    public double[] params() {
        return params;
    }

    public double[] grads() {
        return grads;
    }

    static double silu(double x) {
        return x / (1 + Math.exp(-x));
    }

    static double siluGrad(double x) {
        double s = 1 / (1 + Math.exp(-x));
        return s * (1 + x * (1 - s));
    }

    /** Forward pass on {@code n} rows of {@code x} (row-major {@code [n][inputDim]}); caches for {@link #backward}. */
    public double[] forward(double[] x, int n) {
        if (x.length != n * sizes[0]) {
            throw new IllegalArgumentException("expected " + n + " x " + sizes[0] + " inputs, got " + x.length);
        }
        batch = n;
        int layers = sizes.length - 1;
        pre = new double[layers][];
        act = new double[layers + 1][];
        act[0] = x;
        double[] h = x;
        for (int l = 0; l < layers; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            int w = offsets[l];
            int b = w + in * out;
            double[] z = new double[n * out];
            for (int r = 0; r < n; r++) {
                int ro = r * out;
                int ri = r * in;
                for (int o = 0; o < out; o++) {
                    double s = params[b + o];
                    int wo = w + o * in;
                    for (int i = 0; i < in; i++) {
                        s += params[wo + i] * h[ri + i];
                    }
                    z[ro + o] = s;
                }
            }
            pre[l] = z;
            if (l + 1 < layers) {
                double[] a = new double[z.length];
                for (int i = 0; i < z.length; i++) {
                    a[i] = silu(z[i]);
                }
                h = a;
            } else {
                h = z;
            }
            act[l + 1] = h;
        }
        return h;
    }

    /**
     * Backward pass of the last {@link #forward}: adds the parameter gradients of {@code sum(dOut * out)} to
     * {@link #grads()} and returns the gradient with respect to the input.
     */
    public double[] backward(double[] dOut) {
        int layers = sizes.length - 1;
        int n = batch;
        double[] d = dOut.clone();
        for (int l = layers - 1; l >= 0; l--) {
            int in = sizes[l];
            int out = sizes[l + 1];
            if (l + 1 < layers) {
                double[] z = pre[l];
                for (int i = 0; i < d.length; i++) {
                    d[i] *= siluGrad(z[i]);
                }
            }
            int w = offsets[l];
            int b = w + in * out;
            double[] h = act[l];
            double[] dIn = new double[n * in];
            for (int r = 0; r < n; r++) {
                int ro = r * out;
                int ri = r * in;
                for (int o = 0; o < out; o++) {
                    double g = d[ro + o];
                    if (g == 0) {
                        continue;
                    }
                    grads[b + o] += g;
                    int wo = w + o * in;
                    for (int i = 0; i < in; i++) {
                        grads[wo + i] += g * h[ri + i];
                        dIn[ri + i] += g * params[wo + i];
                    }
                }
            }
            d = dIn;
        }
        return d;
    }

    public void zeroGrad() {
        Arrays.fill(grads, 0);
    }
}
