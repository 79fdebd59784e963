package org.cllab.hypernets.generators.d2nwg;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/** Central finite differences against the hand-derived gradients of the VAE, the denoiser and the set encoder. */
class D2nwgGradientTest {
    /** Max relative error over {@code probes} random coordinates of {@code p}, gradient {@code g}. */
    static double check(double[] p, double[] g, DoubleSupplier loss, int probes, SplittableRandom r) {
        double worst = 0;
        double h = 1e-6;
        for (int k = 0; k < probes; k++) {
            int i = r.nextInt(p.length);
            double old = p[i];
            p[i] = old + h;
            double up = loss.getAsDouble();
            p[i] = old - h;
            double down = loss.getAsDouble();
            p[i] = old;
            double fd = (up - down) / (2 * h);
            double err = Math.abs(fd - g[i]) / Math.max(1e-6, Math.abs(fd) + Math.abs(g[i]));
            worst = Math.max(worst, err);
        }
        return worst;
    }

    @Test
    void vaeGradientsMatchFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(1);
        WeightVae vae = new WeightVae(23, 16, 6, 0.05, 2);
        int n = 4;
        double[] x = WeightVae.gaussian(n * 23, r);
        double[] eps = WeightVae.gaussian(n * 6, r);
        vae.enc.zeroGrad();
        vae.dec.zeroGrad();
        vae.lossAndGrad(x, n, eps);
        double[] ge = vae.enc.grads.clone();
        double[] gd = vae.dec.grads.clone();
        DoubleSupplier loss = () -> vae.lossAndGrad(x, n, eps);
        double ee = check(vae.enc.params, ge, loss, 60, r);
        double ed = check(vae.dec.params, gd, loss, 60, r);
        assertTrue(ee < 1e-4, "encoder relative error " + ee);
        assertTrue(ed < 1e-4, "decoder relative error " + ed);
    }

    @Test
    void denoiserAndSetEncoderGradientsMatchFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(3);
        int classes = 3;
        int shots = 2;
        int feat = 7;
        SetEncoder se = new SetEncoder(feat, classes, 5, 4, r.split());
        LatentDdpm d = new LatentDdpm(1000, 6, 8, 4, 12, r.split());
        int n = 3;
        double[] sup = WeightVae.gaussian(n * classes * shots * feat, r);
        double[] z0 = WeightVae.gaussian(n * 6, r);
        double[] eps = WeightVae.gaussian(n * 6, r);
        int[] t = {0, 417, 999};
        DoubleSupplier loss = () -> d.lossAndGrad(z0, t, eps, se.forward(sup, n, shots), n, null);
        se.zeroGrad();
        d.denoiser.zeroGrad();
        double[] cond = se.forward(sup, n, shots);
        double[] dCond = new double[cond.length];
        d.lossAndGrad(z0, t, eps, cond, n, dCond);
        se.backward(dCond);
        double[] gDen = d.denoiser.grads.clone();
        double[] gPhi = se.phi.grads.clone();
        double[] gPsi = se.psi.grads.clone();
        double e1 = check(d.denoiser.params, gDen, loss, 80, r);
        double e2 = check(se.phi.params, gPhi, loss, 60, r);
        double e3 = check(se.psi.params, gPsi, loss, 60, r);
        assertTrue(e1 < 1e-4, "denoiser relative error " + e1);
        assertTrue(e2 < 1e-4, "set encoder phi relative error " + e2);
        assertTrue(e3 < 1e-4, "set encoder psi relative error " + e3);
    }
}
