package org.cllab.hypernets.contracon;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cllab.core.rng.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Names, shapes and initial values of the CCT's parameters, in two groups.
 *
 * <p><b>Shared</b> (trained on task 0, frozen afterwards): tokenizer convolutions {@code tok/conv<i>/w}
 * ({@code [3, 3, in, out]}, no bias, as in CCT), the learned positional embedding {@code pos} (if any), and per layer
 * {@code l}: the task-0 query/key/value blocks of every head {@code L<l>/w{q,k,v}/h<h>} ({@code [headDim, dim]},
 * PyTorch's out×in layout, no bias), the output projection {@code L<l>/proj/{w,b}} and the feed-forward block
 * {@code L<l>/ffn{1,2}/{w,b}} (in×out).
 *
 * <p><b>Per task</b>: both LayerNorms of every layer {@code L<l>/ln{1,2}/{g,b}}, the final LayerNorm
 * {@code norm/{g,b}}, sequence pooling {@code pool/{w,b}} and the head {@code head/{w,b}}; for tasks after the first
 * also the re-weighting of every head's Q/K/V block: kernel {@code L<l>/r{q,k,v}/h<h>/k} ({@code [k, k, 1, 1]}),
 * bias {@code .../c} ({@code [1]}) and, with the gated skip, gate {@code .../s} ({@code [1, 1]}, starting at 1).
 *
 * <p>Initial values (our reconstruction of CCT's init): linear weights N(0, 0.02²) (CCT: truncated normal, std 0.02),
 * biases 0, LayerNorm gain 1 and bias 0, tokenizer convolutions He-normal (CCT: Kaiming normal); re-weighting
 * kernels and biases uniform in ±1/k (PyTorch's default for a 1→1 k×k {@code Conv2d}).
 */
public final class CctParams {
    static final String[] QKV = {"q", "k", "v"};

    private CctParams() {
    }

    /** Shared parameters, drawn from {@code rng}. */
    public static Map<String, INDArray> initShared(CctShape s, Rng rng, DataType dt) {
        Map<String, INDArray> p = new LinkedHashMap<>();
        for (int i = 0; i < s.tokenizerLayers(); i++) {
            int in = s.convIn(i);
            p.put("tok/conv" + i + "/w", normal(rng, Math.sqrt(2.0 / (9.0 * in)), dt, 3, 3, in, s.convOut(i)));
        }
        if (s.learnedPositions()) {
            p.put("pos", normal(rng, 0.2, dt, s.tokens(), s.dim()));
        }
        for (int l = 0; l < s.layers(); l++) {
            for (String m : QKV) {
                for (int h = 0; h < s.heads(); h++) {
                    p.put("L" + l + "/w" + m + "/h" + h, normal(rng, 0.02, dt, s.headDim(), s.dim()));
                }
            }
            p.put("L" + l + "/proj/w", normal(rng, 0.02, dt, s.dim(), s.dim()));
            p.put("L" + l + "/proj/b", Nd4j.zeros(dt, s.dim()));
            p.put("L" + l + "/ffn1/w", normal(rng, 0.02, dt, s.dim(), s.hidden()));
            p.put("L" + l + "/ffn1/b", Nd4j.zeros(dt, s.hidden()));
            p.put("L" + l + "/ffn2/w", normal(rng, 0.02, dt, s.hidden(), s.dim()));
            p.put("L" + l + "/ffn2/b", Nd4j.zeros(dt, s.dim()));
        }
        return p;
    }

    /**
     * Per-task parameters of a task: LayerNorms and pooling copied from {@code base} (task 0's trained values) when
     * given, else fresh; a fresh head; re-weighting convolutions when {@code reweight}.
     */
    public static Map<String, INDArray> initTask(CctShape s, boolean reweight, Map<String, INDArray> base, Rng rng,
                                                 DataType dt) {
        Map<String, INDArray> p = new LinkedHashMap<>();
        for (int l = 0; l < s.layers(); l++) {
            for (String ln : new String[] {"ln1", "ln2"}) {
                p.put("L" + l + "/" + ln + "/g", Nd4j.ones(dt, s.dim()));
                p.put("L" + l + "/" + ln + "/b", Nd4j.zeros(dt, s.dim()));
            }
        }
        p.put("norm/g", Nd4j.ones(dt, s.dim()));
        p.put("norm/b", Nd4j.zeros(dt, s.dim()));
        p.put("pool/w", normal(rng, 0.02, dt, s.dim(), 1));
        p.put("pool/b", Nd4j.zeros(dt, 1));
        if (base != null) {
            for (Map.Entry<String, INDArray> e : p.entrySet()) {
                INDArray b = base.get(e.getKey());
                if (b != null) {
                    e.setValue(b.castTo(dt).dup());
                }
            }
        }
        p.put("head/w", normal(rng, 0.02, dt, s.dim(), s.classes()));
        p.put("head/b", Nd4j.zeros(dt, s.classes()));
        if (reweight) {
            double bound = 1.0 / s.kernel();
            for (int l = 0; l < s.layers(); l++) {
                for (String m : QKV) {
                    for (int h = 0; h < s.heads(); h++) {
                        String r = "L" + l + "/r" + m + "/h" + h;
                        p.put(r + "/k", uniform(rng, bound, dt, s.kernel(), s.kernel(), 1, 1));
                        p.put(r + "/c", uniform(rng, bound, dt, 1));
                        if (s.skip() == CctShape.Skip.GATED) {
                            p.put(r + "/s", Nd4j.ones(dt, 1, 1));
                        }
                    }
                }
            }
        }
        return p;
    }

    /** Total number of values. */
    public static long count(Map<String, INDArray> p) {
        long n = 0;
        for (INDArray a : p.values()) {
            n += a.length();
        }
        return n;
    }

    static INDArray normal(Rng rng, double std, DataType dt, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = std * rng.nextGaussian();
        }
        return Nd4j.create(v, shape, DataType.DOUBLE).castTo(dt);
    }

    static INDArray uniform(Rng rng, double bound, DataType dt, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = bound * (2 * rng.nextDouble() - 1);
        }
        return Nd4j.create(v, shape, DataType.DOUBLE).castTo(dt);
    }
}
