package org.cllab.hypernets.generators.d2nwg;

import java.util.SplittableRandom;

/**
 * D2NWG's second stage: a denoising diffusion model (Ho et al., NeurIPS 2020) in the VAE's latent space,
 * epsilon-prediction, {@code T} steps with the reference's schedule {@code beta_t = (linspace(sqrt(0.0015),
 * sqrt(0.0155), T))^2}. The denoiser is an MLP on {@code [z_t, sinusoidal time embedding, condition]} (condition
 * concatenated), SiLU. Sampling is DDIM (Song et al., ICLR 2021, eta = 0) with a configurable number of steps.
 */
public final class LatentDdpm {
    final int steps;
    final int latent;
    final int timeDim;
    final int condDim;
    final double[] beta;
    final double[] alphaBar;
    final Mlp denoiser;

    /** An epsilon predictor: {@code eps(z_t, t, cond)} for {@code n} rows. */
    public interface EpsModel {
        double[] eps(double[] z, int[] t, double[] cond, int n);
    }

    public LatentDdpm(int steps, int latent, int timeDim, int condDim, int hidden, SplittableRandom rng) {
        this.steps = steps;
        this.latent = latent;
        this.timeDim = timeDim;
        this.condDim = condDim;
        this.beta = schedule(steps);
        this.alphaBar = new double[steps];
        double a = 1;
        for (int t = 0; t < steps; t++) {
            a *= 1 - beta[t];
            alphaBar[t] = a;
        }
        this.denoiser = new Mlp(new int[] {latent + timeDim + condDim, hidden, hidden, latent}, rng);
    }

    /** The reference's "linear" schedule: betas linear in sqrt from sqrt(0.0015) to sqrt(0.0155), squared. */
    public static double[] schedule(int steps) {
        double lo = Math.sqrt(0.0015);
        double hi = Math.sqrt(0.0155);
        double[] b = new double[steps];
        for (int t = 0; t < steps; t++) {
            double s = steps == 1 ? lo : lo + (hi - lo) * t / (steps - 1);
            b[t] = s * s;
        }
        return b;
    }

    public double alphaBar(int t) {
        return alphaBar[t];
    }

    /** Sinusoidal embedding of step {@code t} (Vaswani et al. 2017), sines then cosines. */
    static void timeEmbedding(int t, double[] out, int off, int dim) {
        int half = dim / 2;
        for (int i = 0; i < half; i++) {
            double f = Math.exp(-Math.log(10000) * i / half);
            out[off + i] = Math.sin(t * f);
            out[off + half + i] = Math.cos(t * f);
        }
    }

    double[] input(double[] z, int[] t, double[] cond, int n) {
        int w = latent + timeDim + condDim;
        double[] x = new double[n * w];
        for (int r = 0; r < n; r++) {
            System.arraycopy(z, r * latent, x, r * w, latent);
            timeEmbedding(t[r], x, r * w + latent, timeDim);
            System.arraycopy(cond, r * condDim, x, r * w + latent + timeDim, condDim);
        }
        return x;
    }

    /** The denoiser's epsilon prediction with its current parameters. */
    public double[] predict(double[] z, int[] t, double[] cond, int n) {
        return denoiser.forward(input(z, t, cond, n), n);
    }

    /** {@code z_t = sqrt(abar_t) z0 + sqrt(1 - abar_t) eps}. */
    public double[] noise(double[] z0, int[] t, double[] eps, int n) {
        double[] zt = new double[z0.length];
        for (int r = 0; r < n; r++) {
            double a = Math.sqrt(alphaBar[t[r]]);
            double s = Math.sqrt(1 - alphaBar[t[r]]);
            for (int l = 0; l < latent; l++) {
                int i = r * latent + l;
                zt[i] = a * z0[i] + s * eps[i];
            }
        }
        return zt;
    }

    /**
     * The epsilon-prediction loss {@code mean ||eps^ - eps||^2} (mean over rows and latent units); adds the
     * denoiser's parameter gradients and returns the gradient with respect to {@code cond} in {@code dCond}.
     */
    public double lossAndGrad(double[] z0, int[] t, double[] eps, double[] cond, int n, double[] dCond) {
        double[] x = input(noise(z0, t, eps, n), t, cond, n);
        double[] y = denoiser.forward(x, n);
        double loss = 0;
        double[] dy = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            double e = y[i] - eps[i];
            loss += e * e;
            dy[i] = 2 * e / y.length;
        }
        double[] dx = denoiser.backward(dy);
        if (dCond != null) {
            int w = latent + timeDim + condDim;
            for (int r = 0; r < n; r++) {
                System.arraycopy(dx, r * w + latent + timeDim, dCond, r * condDim, condDim);
            }
        }
        return loss / y.length;
    }

    /** The DDIM time steps used with {@code k} sampling steps, descending, ending at 0. */
    public int[] ddimTimes(int k) {
        if (k < 1 || k > steps) {
            throw new IllegalArgumentException("DDIM steps must be in 1.." + steps + ", got " + k);
        }
        int[] ts = new int[k];
        for (int i = 0; i < k; i++) {
            ts[k - 1 - i] = (int) ((long) i * steps / k);
        }
        return ts;
    }

    /** Deterministic DDIM (eta = 0) from {@code zT} with {@code k} steps under the predictor {@code model}. */
    public double[] ddim(EpsModel model, double[] zT, double[] cond, int n, int k) {
        int[] ts = ddimTimes(k);
        double[] z = zT.clone();
        int[] tv = new int[n];
        for (int i = 0; i < ts.length; i++) {
            int t = ts[i];
            java.util.Arrays.fill(tv, t);
            double[] e = model.eps(z, tv, cond, n);
            double a = alphaBar[t];
            double aPrev = i + 1 < ts.length ? alphaBar[ts[i + 1]] : 1.0;
            for (int j = 0; j < z.length; j++) {
                double x0 = (z[j] - Math.sqrt(1 - a) * e[j]) / Math.sqrt(a);
                z[j] = Math.sqrt(aPrev) * x0 + Math.sqrt(1 - aPrev) * e[j];
            }
        }
        return z;
    }
}
