package org.cllab.hypernets.generators.d2nwg;

import java.util.SplittableRandom;

/**
 * D2NWG's first stage: a variational autoencoder over flattened, normalised weight vectors (Soro et al., ICLR 2025,
 * section 3.1). Encoder {@code D -> hidden -> 2L} (mean and log-variance), decoder {@code L -> hidden -> D}, SiLU.
 * Loss per vector, averaged over the batch: {@code mean_d |x^ - x| + mean_d (x^ - x)^2 + klWeight * KL}, with
 * {@code KL = -1/2 sum_l (1 + logvar - mu^2 - exp(logvar))} — the reference code's L1 + MSE reconstruction with a tiny
 * KL. The vectors are normalised per layer before they reach the VAE (see {@link WeightNorm}). Gradients are
 * hand-derived and checked by finite differences ({@code D2nwgGradientTest}).
 */
public final class WeightVae {
    final int dim;
    final int latent;
    final double klWeight;
    final Mlp enc;
    final Mlp dec;

    public WeightVae(int dim, int hidden, int latent, double klWeight, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        this.dim = dim;
        this.latent = latent;
        this.klWeight = klWeight;
        this.enc = new Mlp(new int[] {dim, hidden, 2 * latent}, r.split());
        this.dec = new Mlp(new int[] {latent, hidden, dim}, r.split());
    }

    /**
     * Loss of {@code n} vectors {@code x} with reparameterisation noise {@code eps} ({@code [n][latent]}); adds the
     * parameter gradients to the encoder's and decoder's gradient buffers.
     */
    public double lossAndGrad(double[] x, int n, double[] eps) {
        double[] h = enc.forward(x, n);
        double[] z = new double[n * latent];
        for (int r = 0; r < n; r++) {
            for (int l = 0; l < latent; l++) {
                double mu = h[r * 2 * latent + l];
                double lv = h[r * 2 * latent + latent + l];
                z[r * latent + l] = mu + Math.exp(0.5 * lv) * eps[r * latent + l];
            }
        }
        double[] y = dec.forward(z, n);
        double loss = 0;
        double[] dy = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            double e = y[i] - x[i];
            loss += Math.abs(e) + e * e;
            dy[i] = (Math.signum(e) + 2 * e) / dim / n;
        }
        loss /= dim;
        double[] dz = dec.backward(dy);
        double[] dh = new double[h.length];
        double kl = 0;
        for (int r = 0; r < n; r++) {
            for (int l = 0; l < latent; l++) {
                int im = r * 2 * latent + l;
                int iv = im + latent;
                double mu = h[im];
                double lv = h[iv];
                double s = Math.exp(0.5 * lv);
                double g = dz[r * latent + l];
                kl += -0.5 * (1 + lv - mu * mu - Math.exp(lv));
                dh[im] = g + klWeight * mu / n;
                dh[iv] = g * 0.5 * s * eps[r * latent + l] + klWeight * 0.5 * (Math.exp(lv) - 1) / n;
            }
        }
        enc.backward(dh);
        return (loss + klWeight * kl) / n;
    }

    /** Posterior means of {@code n} vectors. */
    public double[] encodeMean(double[] x, int n) {
        double[] h = enc.forward(x, n);
        double[] z = new double[n * latent];
        for (int r = 0; r < n; r++) {
            System.arraycopy(h, r * 2 * latent, z, r * latent, latent);
        }
        return z;
    }

    public double[] decode(double[] z, int n) {
        return dec.forward(z, n);
    }

    /** Trains on the rows of {@code data} with Adam; returns the last epoch's mean loss. */
    public double train(double[][] data, int epochs, int batchSize, double lr, SplittableRandom rng) {
        Adam ae = new Adam(enc.numParams(), lr);
        Adam ad = new Adam(dec.numParams(), lr);
        int n = data.length;
        double last = Double.NaN;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int ep = 0; ep < epochs; ep++) {
            shuffle(order, rng);
            double sum = 0;
            int count = 0;
            for (int s = 0; s < n; s += batchSize) {
                int b = Math.min(batchSize, n - s);
                double[] x = new double[b * dim];
                for (int i = 0; i < b; i++) {
                    System.arraycopy(data[order[s + i]], 0, x, i * dim, dim);
                }
                double[] eps = gaussian(b * latent, rng);
                enc.zeroGrad();
                dec.zeroGrad();
                sum += lossAndGrad(x, b, eps) * b;
                count += b;
                ae.step(enc.params, enc.grads, 5.0);
                ad.step(dec.params, dec.grads, 5.0);
            }
            last = sum / count;
        }
        return last;
    }

    static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    static double[] gaussian(int n, SplittableRandom rng) {
        double[] g = new double[n];
        for (int i = 0; i < n; i += 2) {
            double u1 = 1 - rng.nextDouble();
            double u2 = rng.nextDouble();
            double rad = Math.sqrt(-2 * Math.log(u1));
            g[i] = rad * Math.cos(2 * Math.PI * u2);
            if (i + 1 < n) {
                g[i + 1] = rad * Math.sin(2 * Math.PI * u2);
            }
        }
        return g;
    }
}
