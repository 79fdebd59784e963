package org.cllab.hypernets.contracon;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The CCT as a SameDiff graph, for one task: placeholders {@code x} ({@code [n, C·H·W]}, flattened images) and
 * {@code y} ({@code [n, classes]}, label-smoothed targets), outputs {@code logits} and {@code loss}
 * ({@code -mean_i sum_c y_ic log softmax(logits)_ic}, cross-entropy against the smoothed targets).
 *
 * <p>Forward pass (CCT's pre-norm encoder): tokenizer (per layer: 3×3 "same" convolution without bias, ReLU, 2×2
 * max-pool stride 2) → tokens {@code [n, T, d]} + positional embedding → per layer
 * {@code x = x + proj(MHSA(LN1(x)))}, {@code x = LN2(x)}, {@code x = x + FFN(x)} (GELU) → final LayerNorm → sequence
 * pooling ({@code softmax_T(x w + b)}-weighted sum of the tokens) → linear head.
 *
 * <p>Attention weights: with {@code reweight} (ConTraCon, tasks after the first) the Q/K/V matrix of every layer is
 * the concatenation over heads of {@code W_t,h = conv_t,h(W_0,h) + σ(s_t,h)·W_0,h} (a 1→1 channel k×k "same"
 * convolution with bias over the frozen task-0 block {@code W_0,h}, then the gated skip; {@link CctShape.Skip} for
 * the ablations); without, it is the concatenation of the blocks themselves.
 *
 * <p>Every parameter enters the graph as a trainable {@code VARIABLE} (from {@code trainable}) or as a
 * {@code CONSTANT} (from {@code frozen}), so a {@link org.nd4j.autodiff.samediff.SameDiff} gradient call only differentiates
 * what the task trains. The arrays are duplicated: the graph owns its copies.
 */
public final class CctGraph {
    public static final String X = "x";
    public static final String Y = "y";
    public static final String LOGITS = "logits";
    public static final String LOSS = "loss";
    public static final String TOKENS = "tokens";

    private final SameDiff sd = SameDiff.create();
    private final Map<String, INDArray> trainable;
    private final Map<String, INDArray> frozen;
    private final CctShape s;

    private CctGraph(CctShape s, Map<String, INDArray> trainable, Map<String, INDArray> frozen) {
        this.s = s;
        this.trainable = trainable;
        this.frozen = frozen;
    }

    /**
     * @param s         sizes
     * @param trainable parameters trained through this graph
     * @param frozen    parameters held constant
     * @param reweight  build the re-weighted attention matrices (tasks after the first)
     * @param dt        data type of placeholders and parameters
     */
    public static SameDiff build(CctShape s, Map<String, INDArray> trainable, Map<String, INDArray> frozen,
                                 boolean reweight, DataType dt) {
        CctGraph g = new CctGraph(s, trainable, frozen);
        g.forward(reweight, dt);
        return g.sd;
    }

    /**
     * The tokenizer alone, all constants (evaluation): placeholder {@code x}, output {@link #TOKENS}
     * ({@code [n, T, d]}, the tokens plus the positional embedding), the same ops as in {@link #build}.
     */
    public static SameDiff tokenizer(CctShape s, Map<String, INDArray> frozen, DataType dt) {
        CctGraph g = new CctGraph(s, Map.of(), frozen);
        SDVariable x = g.sd.placeHolder(X, dt, -1, (long) s.channels() * s.height() * s.width());
        g.sd.identity(TOKENS, g.tokenize(x, dt));
        return g.sd;
    }

    /**
     * The encoder after the tokenizer, all constants (evaluation): placeholder {@link #TOKENS}, output {@link #LOGITS};
     * together with {@link #tokenizer} the same ops as {@link #build}, so the same logits bit for bit. Several tasks
     * sharing one tokenizer then tokenize an input once.
     */
    public static SameDiff encoder(CctShape s, Map<String, INDArray> frozen, boolean reweight, DataType dt) {
        CctGraph g = new CctGraph(s, Map.of(), frozen);
        SDVariable tokens = g.sd.placeHolder(TOKENS, dt, -1, s.tokens(), s.dim());
        g.encode(tokens, reweight);
        return g.sd;
    }

    private SDVariable p(String name) {
        SDVariable v = sd.getVariable(name);
        if (v != null) {
            return v;
        }
        INDArray t = trainable.get(name);
        if (t != null) {
            return sd.var(name, t.dup());
        }
        INDArray f = frozen.get(name);
        if (f == null) {
            throw new IllegalArgumentException("missing CCT parameter " + name);
        }
        return sd.constant(name, f.dup());
    }

    private void forward(boolean reweight, DataType dt) {
        SDVariable x = sd.placeHolder(X, dt, -1, (long) s.channels() * s.height() * s.width());
        SDVariable y = sd.placeHolder(Y, dt, -1, s.classes());
        SDVariable logits = encode(tokenize(x, dt), reweight);
        // logSoftmax(x, dim) fails to build in M2.1 ("Error setting property ... LogSoftMax"): the default (last) dimension
        SDVariable logp = sd.nn().logSoftmax(logits);
        SDVariable perSample = y.mul(logp).sum(1);
        perSample.mean().neg(LOSS);
    }

    /** Tokenizer and positional embedding: {@code [n, C·H·W]} to {@code [n, T, d]}. */
    private SDVariable tokenize(SDVariable x, DataType dt) {
        int d = s.dim();
        int tokens = s.tokens();
        SDVariable img = sd.reshape(x, -1, s.channels(), s.height(), s.width());
        for (int i = 0; i < s.tokenizerLayers(); i++) {
            Conv2DConfig conv = Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).paddingMode(PaddingMode.SAME)
                    .dataFormat("NCHW").build();
            img = sd.nn().relu(sd.cnn().conv2d(img, p("tok/conv" + i + "/w"), conv), 0.0);
            img = sd.cnn().maxPooling2d(img, Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2)
                    .type(Pooling2D.Pooling2DType.MAX).paddingMode(PaddingMode.VALID).isNHWC(false).build());
        }
        // [n, d, h, w] -> [n, T, d]
        SDVariable h = sd.permute(sd.reshape(img, -1, d, tokens), 0, 2, 1);
        SDVariable pos = s.learnedPositions() ? p("pos") : sd.constant("pos", sinePositions(tokens, d).castTo(dt));
        return h.add(pos);
    }

    /** Transformer layers, final LayerNorm, sequence pooling and head: {@code [n, T, d]} to the logits. */
    private SDVariable encode(SDVariable tokens0, boolean reweight) {
        int d = s.dim();
        int tokens = s.tokens();
        SDVariable h = tokens0;
        for (int l = 0; l < s.layers(); l++) {
            String L = "L" + l + "/";
            SDVariable a = layerNorm(h, L + "ln1");
            h = h.add(attention(a, L, reweight));
            h = layerNorm(h, L + "ln2");
            SDVariable f = linear(h, L + "ffn1", d, s.hidden());
            f = linear(sd.nn().gelu(f), L + "ffn2", s.hidden(), d);
            h = h.add(f);
        }
        h = layerNorm(h, "norm");
        // sequence pooling: [n, 1, T] x [n, T, d] -> [n, d]
        SDVariable scores = sd.reshape(sd.mmul(sd.reshape(h, -1, d), p("pool/w")).add(p("pool/b")), -1, 1, tokens);
        SDVariable weights = sd.nn().softmax(scores, 2);
        SDVariable pooled = sd.reshape(sd.mmul(weights, h), -1, d);
        return sd.mmul(pooled, p("head/w")).add(LOGITS, p("head/b"));
    }

    /** {@code [n, T, in]} through a linear map with weight {@code name/w} ({@code [in, out]}) and bias. */
    private SDVariable linear(SDVariable x, String name, int in, int out) {
        long tokens = s.tokens();
        SDVariable y = sd.mmul(sd.reshape(x, -1, in), p(name + "/w")).add(p(name + "/b"));
        return sd.reshape(y, -1, tokens, out);
    }

    private SDVariable layerNorm(SDVariable x, String name) {
        return sd.nn().layerNorm(x, p(name + "/g"), p(name + "/b"), false, 2);
    }

    /** The Q, K or V matrix ({@code [d, d]}, out×in) of layer {@code L}: the heads' blocks, re-weighted or not. */
    private SDVariable projection(String L, String m, boolean reweight) {
        List<SDVariable> blocks = new ArrayList<>();
        for (int hh = 0; hh < s.heads(); hh++) {
            SDVariable w0 = p(L + "w" + m + "/h" + hh);
            if (!reweight) {
                blocks.add(w0);
                continue;
            }
            String r = L + "r" + m + "/h" + hh;
            Conv2DConfig cfg = Conv2DConfig.builder().kH(s.kernel()).kW(s.kernel()).sH(1).sW(1)
                    .paddingMode(PaddingMode.SAME).dataFormat("NCHW").build();
            SDVariable img = sd.reshape(w0, 1, 1, s.headDim(), s.dim());
            SDVariable conv = sd.reshape(sd.cnn().conv2d(img, p(r + "/k"), p(r + "/c"), cfg), s.headDim(), s.dim());
            SDVariable w = switch (s.skip()) {
                case GATED -> conv.add(w0.mul(sd.nn().sigmoid(p(r + "/s"))));
                case PLAIN -> conv.add(w0);
                case NONE -> conv;
            };
            blocks.add(w);
        }
        return blocks.size() == 1 ? blocks.get(0) : sd.concat(0, blocks.toArray(new SDVariable[0]));
    }

    private SDVariable attention(SDVariable x, String L, boolean reweight) {
        int d = s.dim();
        int heads = s.heads();
        int hd = s.headDim();
        int tokens = s.tokens();
        SDVariable x2 = sd.reshape(x, -1, d);
        SDVariable[] qkv = new SDVariable[3];
        for (int i = 0; i < 3; i++) {
            SDVariable w = projection(L, CctParams.QKV[i], reweight);
            SDVariable y = sd.mmul(x2, w, false, true, false); // [nT, d] x [d, d]^T
            // [n, T, heads, hd] -> [n, heads, T, hd] -> [n·heads, T, hd]
            qkv[i] = sd.reshape(sd.permute(sd.reshape(y, -1, tokens, heads, hd), 0, 2, 1, 3), -1, tokens, hd);
        }
        SDVariable scores = sd.mmul(qkv[0], qkv[1], false, true, false).mul(1.0 / Math.sqrt(hd));
        SDVariable att = sd.nn().softmax(scores, 2);
        SDVariable o = sd.mmul(att, qkv[2]); // [n·heads, T, hd]
        o = sd.reshape(sd.permute(sd.reshape(o, -1, heads, tokens, hd), 0, 2, 1, 3), -1, d);
        SDVariable out = sd.mmul(o, p(L + "proj/w")).add(p(L + "proj/b"));
        return sd.reshape(out, -1, tokens, d);
    }

    /** CCT's fixed sine positional embedding: {@code p / 10000^(2⌊i/2⌋/d)}, sine on even, cosine on odd columns. */
    static INDArray sinePositions(int tokens, int d) {
        double[] v = new double[tokens * d];
        for (int p = 0; p < tokens; p++) {
            for (int i = 0; i < d; i++) {
                double a = p / Math.pow(10000, 2.0 * (i / 2) / d);
                v[p * d + i] = i % 2 == 0 ? Math.sin(a) : Math.cos(a);
            }
        }
        return Nd4j.create(v, new long[] {tokens, d}, DataType.DOUBLE);
    }
}
