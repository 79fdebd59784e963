package org.cllab.hypernets.generators;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.cllab.core.nn.Gemm;
import org.cllab.core.nn.ParamSet;
import org.cllab.core.rng.Rng;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A conditional VAE over flat (normalised) weight vectors, an MLP with hand-derived gradients (checked against
 * finite differences in {@code CvaeGradientTest}). Our reconstruction of ICM-LoRA's generator with an MLP instead of
 * the reference's 1-D convolutions, and a stronger conditioning: the condition {@code c} (a task vector) passes
 * through its own layer {@code e = tanh(c Wc + bc)}, and {@code e} is concatenated to the input of the encoder and of
 * <em>every</em> decoder layer.
 *
 * <pre>
 * encoder:  h = relu(x Wex + e Wee + be);  mu = h Wmu + bmu;  logvar = h Wlv + blv
 * sample:   z = mu + exp(logvar / 2) * eps,  eps ~ N(0, I)
 * decoder:  g = relu(z Wdz + e Wde + bd);   xhat = g Wog + e Woe + bo
 * loss:     mean((xhat - x)^2) + beta * mean_rows(-1/2 sum(1 + logvar - mu^2 - exp(logvar)))
 * </pre>
 *
 * The reconstruction term is the mean over rows and elements (PyTorch's {@code mse_loss}), the KL term the mean over
 * rows of the sum over latent units, weighted by {@code beta} (0.005 in ICM-LoRA).
 */
public final class Cvae {
    private static final String[] NAMES = {"Wc", "bc", "Wex", "Wee", "be", "Wmu", "bmu", "Wlv", "blv", "Wdz", "Wde",
        "bd", "Wog", "Woe", "bo"};

    private final int dim;
    private final int cond;
    private final int emb;
    private final int hidden;
    private final int latent;
    private final double beta;
    private final INDArray flat;
    private final INDArray grad;
    private final INDArray[] p = new INDArray[NAMES.length];
    private final INDArray[] g = new INDArray[NAMES.length];
    private final List<ParamSet.Tensor> tensors = new ArrayList<>();
    private final long decoderParams;

    /**
     * @param dim    length of a weight vector
     * @param cond   length of the condition
     * @param emb    width of the condition embedding
     * @param hidden hidden width of encoder and decoder
     * @param latent latent size
     * @param beta   KL weight
     */
    public Cvae(int dim, int cond, int emb, int hidden, int latent, double beta, DataType type) {
        this.dim = dim;
        this.cond = cond;
        this.emb = emb;
        this.hidden = hidden;
        this.latent = latent;
        this.beta = beta;
        int[][] shapes = {{cond, emb}, {1, emb}, {dim, hidden}, {emb, hidden}, {1, hidden}, {hidden, latent},
            {1, latent}, {hidden, latent}, {1, latent}, {latent, hidden}, {emb, hidden}, {1, hidden}, {hidden, dim},
            {emb, dim}, {1, dim}};
        long n = 0;
        for (int[] s : shapes) {
            n += (long) s[0] * s[1];
        }
        flat = Nd4j.zeros(type, 1, n);
        grad = Nd4j.zeros(type, 1, n);
        long off = 0;
        long dec = 0;
        for (int k = 0; k < shapes.length; k++) {
            long len = (long) shapes[k][0] * shapes[k][1];
            p[k] = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(off, off + len))
                    .reshape('c', shapes[k][0], shapes[k][1]);
            g[k] = grad.get(NDArrayIndex.point(0), NDArrayIndex.interval(off, off + len))
                    .reshape('c', shapes[k][0], shapes[k][1]);
            if (!p[k].isView() || !g[k].isView()) {
                throw new IllegalStateException("parameter view is a copy; ND4J reshape semantics changed");
            }
            tensors.add(new ParamSet.Tensor(NAMES[k], p[k], g[k]));
            if (k <= 1 || k >= 9) {
                dec += len;
            }
            off += len;
        }
        decoderParams = dec;
    }

    /** Uniform(+-1/sqrt(fan-in)) weights (PyTorch's Linear default bound), zero biases. */
    public void init(Rng rng) {
        int[] fanIn = {cond, 0, dim + emb, dim + emb, 0, hidden, 0, hidden, 0, latent + emb, latent + emb, 0,
            hidden + emb, hidden + emb, 0};
        for (int k = 0; k < p.length; k++) {
            if (fanIn[k] == 0) {
                p[k].assign(0);
                continue;
            }
            double bound = 1.0 / Math.sqrt(fanIn[k]);
            double[] v = new double[(int) p[k].length()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (rng.nextDouble() * 2 - 1) * bound;
            }
            p[k].assign(Nd4j.create(v, p[k].shape(), flat.dataType()));
        }
    }

    public ParamSet params() {
        return ParamSet.contiguous(flat, grad, tensors);
    }

    public INDArray flat() {
        return flat;
    }

    public long numParams() {
        return flat.length();
    }

    /** Parameters needed to generate (condition layer and decoder). */
    public long numDecoderParams() {
        return decoderParams;
    }

    public int latent() {
        return latent;
    }

    public int dim() {
        return dim;
    }

    private INDArray embed(INDArray c) {
        return Transforms.tanh(Gemm.product(c, p[0]).addiRowVector(p[1]), false);
    }

    /** Decodes latent rows {@code z [n, latent]} under conditions {@code c [n, cond]}. */
    public INDArray decode(INDArray z, INDArray c) {
        INDArray e = embed(c);
        INDArray h = Transforms.relu(Gemm.product(z, p[9]).addi(Gemm.product(e, p[10])).addiRowVector(p[11]), false);
        return Gemm.product(h, p[12]).addi(Gemm.product(e, p[13])).addiRowVector(p[14]);
    }

    /** The loss terms of one step. */
    public record Loss(double total, double mse, double kl) {
    }

    /**
     * Loss on rows {@code x [n, dim]} with conditions {@code c [n, cond]} and noise {@code eps [n, latent]}; leaves its
     * gradient in {@link #params()}.
     */
    public Loss lossAndGradient(INDArray x, INDArray c, INDArray eps) {
        int n = (int) x.size(0);
        INDArray e = embed(c);
        INDArray hPre = Gemm.product(x, p[2]).addi(Gemm.product(e, p[3])).addiRowVector(p[4]);
        INDArray h = Transforms.relu(hPre, true);
        INDArray mu = Gemm.product(h, p[5]).addiRowVector(p[6]);
        INDArray lv = Gemm.product(h, p[7]).addiRowVector(p[8]);
        INDArray sd = Transforms.exp(lv.mul(0.5), false);
        INDArray z = mu.add(sd.mul(eps));
        INDArray gPre = Gemm.product(z, p[9]).addi(Gemm.product(e, p[10])).addiRowVector(p[11]);
        INDArray gAct = Transforms.relu(gPre, true);
        INDArray xhat = Gemm.product(gAct, p[12]).addi(Gemm.product(e, p[13])).addiRowVector(p[14]);
        INDArray diff = xhat.sub(x);
        double mse = diff.mul(diff).sumNumber().doubleValue() / ((double) n * dim);
        INDArray expLv = Transforms.exp(lv, true);
        double kl = -0.5 * lv.add(1.0).subi(mu.mul(mu)).subi(expLv).sumNumber().doubleValue() / n;
        // backward
        INDArray dx = diff.muli(2.0 / ((double) n * dim));
        g[12].assign(Gemm.product(gAct, dx, true, false));
        g[13].assign(Gemm.product(e, dx, true, false));
        g[14].assign(dx.sum(0).reshape(1, dim));
        INDArray de = Gemm.product(dx, p[13], false, true);
        INDArray dg = Gemm.product(dx, p[12], false, true).muli(Transforms.step(gPre));
        g[9].assign(Gemm.product(z, dg, true, false));
        g[10].assign(Gemm.product(e, dg, true, false));
        g[11].assign(dg.sum(0).reshape(1, hidden));
        de.addi(Gemm.product(dg, p[10], false, true));
        INDArray dz = Gemm.product(dg, p[9], false, true);
        INDArray dmu = dz.add(mu.mul(beta / n));
        INDArray dlv = dz.mul(eps).muli(sd).muli(0.5).addi(expLv.sub(1.0).muli(0.5 * beta / n));
        g[5].assign(Gemm.product(h, dmu, true, false));
        g[6].assign(dmu.sum(0).reshape(1, latent));
        g[7].assign(Gemm.product(h, dlv, true, false));
        g[8].assign(dlv.sum(0).reshape(1, latent));
        INDArray dh = Gemm.product(dmu, p[5], false, true).addi(Gemm.product(dlv, p[7], false, true))
                .muli(Transforms.step(hPre));
        g[2].assign(Gemm.product(x, dh, true, false));
        g[3].assign(Gemm.product(e, dh, true, false));
        g[4].assign(dh.sum(0).reshape(1, hidden));
        de.addi(Gemm.product(dh, p[3], false, true));
        INDArray dpre = de.muli(e.mul(e).rsubi(1.0));
        g[0].assign(Gemm.product(c, dpre, true, false));
        g[1].assign(dpre.sum(0).reshape(1, emb));
        return new Loss(mse + beta * kl, mse, kl);
    }

    public void save(String prefix, StateWriter out) throws IOException {
        out.putArray(prefix + "/params", flat);
    }

    public void load(String prefix, StateReader in) {
        INDArray v = in.array(prefix + "/params");
        if (v.length() != flat.length()) {
            throw new IllegalStateException("checkpoint generator has " + v.length() + " parameters, expected "
                    + flat.length());
        }
        flat.assign(v.reshape(flat.shape()));
    }
}
