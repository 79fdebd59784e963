package org.cllab.hypernets.generators.d2nwg;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The D2NWG generator (Soro et al., "Diffusion-Based Neural Network Weights Generation", ICLR 2025): a
 * {@link WeightVae} over per-layer normalised weights, and a {@link LatentDdpm} in its latent space conditioned on a
 * {@link SetEncoder} of a few samples per class of the task, the two trained jointly; EMA copies of the denoiser and
 * set-encoder weights are used for sampling, by DDIM.
 */
public final class Generator {
    /** A training example: a weight vector and the task whose samples condition it. */
    public record Example(double[] weights, int task) {
    }

    /** Draws support sets: {@code [classes*shots][dim]} class-slot ordered rows of a task's training split. */
    public interface SupportSource {
        double[] support(int task, int shots, SplittableRandom rng);
    }

    final GeneratorSettings s;
    final int dim;
    final int classes;
    final int featureDim;
    final int[] segments;
    /** Row chunking: the VAE encodes each class's row {@code [W_k, b_k]} of the head separately (shared weights). */
    final boolean rows;
    final int chunk;
    final int chunkLatent;
    WeightNorm norm;
    final WeightVae vae;
    final SetEncoder setEnc;
    final LatentDdpm ddpm;
    final double[] emaDen;
    final double[] emaPhi;
    final double[] emaPsi;
    final Adam aDen;
    final Adam aPhi;
    final Adam aPsi;
    long diffusionSteps;
    /** After a fit: the training latents' mean |mean|, mean sd and largest sd over latent units (diagnostics). */
    double[] latentStats;
    /** The factor the VAE latents are multiplied by before the diffusion model sees them (1 unless scaled). */
    final double[] latentScale = {1.0};

    public Generator(GeneratorSettings s, int classes, int featureDim, int[] segments, long seed) {
        s.check();
        this.s = s;
        this.classes = classes;
        this.featureDim = featureDim;
        this.segments = segments.clone();
        this.dim = segments[segments.length - 1];
        this.rows = s.rowChunks();
        if (rows && (s.latent() % classes != 0 || dim != Head.size(classes, featureDim))) {
            throw new IllegalArgumentException("generator.row_chunks needs a head of " + classes + " x " + featureDim
                    + " + " + classes + " weights and a latent size that is a multiple of " + classes + ", got "
                    + s.latent());
        }
        this.chunk = rows ? featureDim + 1 : dim;
        this.chunkLatent = rows ? s.latent() / classes : s.latent();
        SplittableRandom r = new SplittableRandom(seed);
        this.vae = new WeightVae(chunk, s.vaeHidden(), chunkLatent, s.klWeight(), r.nextLong());
        this.setEnc = new SetEncoder(featureDim, classes, s.embed(), s.condDim(), r.split());
        this.ddpm = new LatentDdpm(s.steps(), s.latent(), s.timeDim(), s.condDim(), s.hidden(), r.split());
        this.emaDen = ddpm.denoiser.params.clone();
        this.emaPhi = setEnc.phi.params.clone();
        this.emaPsi = setEnc.psi.params.clone();
        this.aDen = new Adam(ddpm.denoiser.numParams(), s.lr());
        this.aPhi = new Adam(setEnc.phi.numParams(), s.lr());
        this.aPsi = new Adam(setEnc.psi.numParams(), s.lr());
    }

    /**
     * Fits the generator on {@code examples}: the normalisation (only on the first fit, then kept so that earlier
     * latents keep their meaning), {@code vaeEpochs} of VAE training, then {@code trainSteps} joint steps of the
     * diffusion model and set encoder on the examples' latent means. Returns {VAE loss, last-100-steps eps loss}.
     */
    public double[] fit(List<Example> examples, SupportSource source, SplittableRandom rng) {
        return fit(examples, source, rng, null);
    }

    /** {@link #fit} printing progress every 500 diffusion steps to {@code log} (if not null). */
    public double[] fit(List<Example> examples, SupportSource source, SplittableRandom rng, java.io.PrintStream log) {
        if (norm == null) {
            double[][] w = new double[examples.size()][];
            for (int i = 0; i < w.length; i++) {
                w[i] = examples.get(i).weights();
            }
            norm = WeightNorm.fit(w, segments);
        }
        double[][] x = new double[examples.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = norm.apply(examples.get(i).weights());
        }
        long t0 = System.nanoTime();
        double[][] vx = x;
        if (rows) {
            vx = new double[x.length * classes][];
            for (int i = 0; i < x.length; i++) {
                double[] c = toChunks(x[i]);
                for (int k = 0; k < classes; k++) {
                    vx[i * classes + k] = java.util.Arrays.copyOfRange(c, k * chunk, (k + 1) * chunk);
                }
            }
        }
        double vaeLoss = vae.train(vx, s.vaeEpochs(), s.batch(), s.lr(), rng);
        if (log != null) {
            log.printf("  VAE: %d vectors (%d rows of %d), %d epochs, loss %.4f, %.0f s%n", x.length, vx.length, chunk,
                    s.vaeEpochs(), vaeLoss, (System.nanoTime() - t0) / 1e9);
        }
        double[][] z = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            z[i] = encode(x[i]);
        }
        int L = s.latent();
        latentStats = new double[3];
        for (int l = 0; l < L; l++) {
            double m = 0;
            double q = 0;
            for (double[] zi : z) {
                m += zi[l] / z.length;
                q += zi[l] * zi[l] / z.length;
            }
            latentStats[0] += Math.abs(m) / L;
            latentStats[1] += Math.sqrt(Math.max(q - m * m, 0)) / L;
            latentStats[2] = Math.max(latentStats[2], Math.sqrt(Math.max(q - m * m, 0)));
        }
        latentScale[0] = 1.0;
        if (s.scaleLatents()) {
            double m = 0;
            double q = 0;
            int count = 0;
            for (double[] zi : z) {
                for (double v : zi) {
                    m += v;
                    q += v * v;
                    count++;
                }
            }
            m /= count;
            double sd = Math.sqrt(Math.max(q / count - m * m, 0));
            latentScale[0] = sd > 1e-12 ? 1 / sd : 1.0;
            for (double[] zi : z) {
                for (int l = 0; l < L; l++) {
                    zi[l] *= latentScale[0];
                }
            }
        }
        int B = Math.min(s.batch(), x.length);
        double tail = 0;
        int tailN = 0;
        for (int step = 0; step < s.trainSteps(); step++) {
            double[] z0 = new double[B * L];
            double[] sup = new double[B * classes * s.shots() * featureDim];
            int[] t = new int[B];
            for (int b = 0; b < B; b++) {
                int i = rng.nextInt(x.length);
                System.arraycopy(z[i], 0, z0, b * L, L);
                double[] one = source.support(examples.get(i).task(), s.shots(), rng);
                System.arraycopy(one, 0, sup, b * one.length, one.length);
                t[b] = rng.nextInt(s.steps());
            }
            double[] eps = WeightVae.gaussian(B * L, rng);
            setEnc.zeroGrad();
            ddpm.denoiser.zeroGrad();
            double[] cond = setEnc.forward(sup, B, s.shots());
            double[] dCond = new double[cond.length];
            double loss = ddpm.lossAndGrad(z0, t, eps, cond, B, dCond);
            setEnc.backward(dCond);
            aDen.step(ddpm.denoiser.params, ddpm.denoiser.grads, 1.0);
            aPhi.step(setEnc.phi.params, setEnc.phi.grads, 1.0);
            aPsi.step(setEnc.psi.params, setEnc.psi.grads, 1.0);
            diffusionSteps++;
            double d = Math.min(s.ema(), (1.0 + diffusionSteps) / (10.0 + diffusionSteps));
            ema(emaDen, ddpm.denoiser.params, d);
            ema(emaPhi, setEnc.phi.params, d);
            ema(emaPsi, setEnc.psi.params, d);
            if (log != null && (step + 1) % 500 == 0) {
                log.printf("  diffusion step %d/%d, eps loss %.4f, %.0f s%n", step + 1, s.trainSteps(), loss,
                        (System.nanoTime() - t0) / 1e9);
            }
            if (step >= s.trainSteps() - 100) {
                tail += loss;
                tailN++;
            }
        }
        return new double[] {vaeLoss, tail / Math.max(1, tailN)};
    }

    private static void ema(double[] e, double[] p, double d) {
        for (int i = 0; i < e.length; i++) {
            e[i] = d * e[i] + (1 - d) * p[i];
        }
    }

    /** {@code n} weight vectors generated for the support set {@code support} (EMA weights, DDIM). */
    public List<double[]> sample(double[] support, int n, SplittableRandom rng) {
        if (norm == null) {
            throw new IllegalStateException("the generator has not been fitted yet");
        }
        double[] bDen = ddpm.denoiser.params.clone();
        double[] bPhi = setEnc.phi.params.clone();
        double[] bPsi = setEnc.psi.params.clone();
        System.arraycopy(emaDen, 0, ddpm.denoiser.params, 0, emaDen.length);
        System.arraycopy(emaPhi, 0, setEnc.phi.params, 0, emaPhi.length);
        System.arraycopy(emaPsi, 0, setEnc.psi.params, 0, emaPsi.length);
        try {
            double[] c1 = setEnc.forward(support, 1, s.shots());
            double[] cond = new double[n * c1.length];
            for (int i = 0; i < n; i++) {
                System.arraycopy(c1, 0, cond, i * c1.length, c1.length);
            }
            double[] zT = WeightVae.gaussian(n * s.latent(), rng);
            double[] z0 = ddpm.ddim(ddpm::predict, zT, cond, n, s.ddimSteps());
            for (int i = 0; i < z0.length; i++) {
                z0[i] /= latentScale[0];
            }
            List<double[]> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                double[] zi = java.util.Arrays.copyOfRange(z0, i * s.latent(), (i + 1) * s.latent());
                out.add(norm.invert(decode(zi)));
            }
            return out;
        } finally {
            System.arraycopy(bDen, 0, ddpm.denoiser.params, 0, bDen.length);
            System.arraycopy(bPhi, 0, setEnc.phi.params, 0, bPhi.length);
            System.arraycopy(bPsi, 0, setEnc.psi.params, 0, bPsi.length);
        }
    }

    /** {@code w} through the VAE (posterior mean, decoded, de-normalised): what the VAE alone can represent. */
    public double[] reconstruct(double[] w) {
        return norm.invert(decode(encode(norm.apply(w))));
    }

    /** The latent (posterior mean, before scaling) of a normalised vector: with row chunks, its rows' latents. */
    double[] encode(double[] x) {
        return rows ? vae.encodeMean(toChunks(x), classes) : vae.encodeMean(x, 1);
    }

    /** The normalised vector decoded from an (unscaled) latent. */
    double[] decode(double[] z) {
        return rows ? fromChunks(vae.decode(z, classes)) : vae.decode(z, 1);
    }

    /** {@code [W (K x F row-major), b]} to the rows {@code [W_k, b_k]}, k = 0..K-1. */
    double[] toChunks(double[] x) {
        double[] c = new double[x.length];
        for (int k = 0; k < classes; k++) {
            System.arraycopy(x, k * featureDim, c, k * chunk, featureDim);
            c[k * chunk + featureDim] = x[classes * featureDim + k];
        }
        return c;
    }

    double[] fromChunks(double[] c) {
        double[] x = new double[c.length];
        for (int k = 0; k < classes; k++) {
            System.arraycopy(c, k * chunk, x, k * featureDim, featureDim);
            x[classes * featureDim + k] = c[k * chunk + featureDim];
        }
        return x;
    }

    /** After a checkpoint load: the diffusion optimisers have taken {@code steps} steps. */
    void restoreOptimiserSteps(long steps) {
        aDen.restore(aDen.m(), aDen.v(), steps);
        aPhi.restore(aPhi.m(), aPhi.v(), steps);
        aPsi.restore(aPsi.m(), aPsi.v(), steps);
    }

    /** All parameter and optimiser arrays, in a fixed order, for checkpoints. */
    List<double[]> stateArrays() {
        List<double[]> a = new ArrayList<>(List.of(vae.enc.params, vae.dec.params, setEnc.phi.params,
                setEnc.psi.params, ddpm.denoiser.params, emaDen, emaPhi, emaPsi, aDen.m(), aDen.v(), aPhi.m(),
                aPhi.v(), aPsi.m(), aPsi.v(), latentScale));
        return a;
    }
}
