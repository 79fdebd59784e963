package org.cllab.hypernets.generators.d2nwg;

/**
 * Sizes and training budget of the D2NWG generator (VAE + set encoder + latent DDPM).
 *
 * @param latent     VAE latent size (32-64 in the brief)
 * @param vaeHidden  hidden units of the VAE encoder and decoder
 * @param klWeight   weight of the KL term (tiny, as in the reference)
 * @param vaeEpochs  VAE epochs per fit
 * @param embed      set encoder per-sample embedding size
 * @param condDim    condition size
 * @param hidden     denoiser hidden units (two layers)
 * @param timeDim    sinusoidal time-embedding size
 * @param steps      diffusion steps T
 * @param trainSteps joint diffusion + set-encoder optimiser steps per fit
 * @param batch      minibatch size (VAE and diffusion)
 * @param lr         Adam learning rate
 * @param ema        EMA decay of the denoiser and set encoder weights used for sampling
 * @param ddimSteps  DDIM sampling steps
 * @param shots      support samples per class in a condition
 * @param samples    weights generated per task; the one best on the task's validation split is kept
 * @param scaleLatents scale the VAE latents to unit standard deviation before the diffusion model sees them (the
 *                   latent-diffusion "scale factor", 1 / std of the training latents, refitted with the VAE)
 * @param rowChunks  the VAE encodes each class's row {@code [W_k, b_k]} of a head separately (one VAE shared by
 *                   the rows, {@code latent / classes} latent units per row); the diffusion model's latent is the
 *                   rows' latents concatenated in class-slot order
 */
public record GeneratorSettings(int latent, int vaeHidden, double klWeight, int vaeEpochs, int embed, int condDim,
                                int hidden, int timeDim, int steps, int trainSteps, int batch, double lr, double ema,
                                int ddimSteps, int shots, int samples, boolean scaleLatents,
                                boolean rowChunks) {
    public static GeneratorSettings defaults() {
        return new GeneratorSettings(32, 256, 1e-6, 300, 64, 32, 256, 32, 1000, 4000, 32, 1e-3, 0.999, 50, 5, 10, true, false);
    }

    public void check() {
        if (latent <= 0 || vaeHidden <= 0 || klWeight < 0 || vaeEpochs <= 0 || embed <= 0 || condDim <= 0
                || hidden <= 0 || timeDim <= 1 || timeDim % 2 != 0 || steps <= 1 || trainSteps <= 0 || batch <= 0
                || !(lr > 0) || !(ema >= 0 && ema < 1) || ddimSteps < 1 || ddimSteps > steps || shots <= 0
                || samples <= 0) {
            throw new IllegalArgumentException("generator settings out of range: " + this);
        }
    }
}
