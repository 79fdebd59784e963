package org.cllab.core.nn;

import java.io.IOException;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adam (Kingma &amp; Ba 2015) with PyTorch's bias correction and epsilon placement.
 *
 * <p>The update runs as one pass in plain Java over the flat vectors (the moments live on the Java heap) instead of a
 * dozen native element-wise operations, each a pass over memory with its own call overhead. Every element sees
 * exactly the float operations, in the same order, that the element-wise ND4J formulation performs:
 * {@code m = m b1 + g (1-b1)}, {@code v = v b2 + (g g)(1-b2)},
 * {@code step = (m / (sqrt(v) / sqrt(1-b2^t) + eps)) (lr / (1-b1^t))} with every constant rounded to float
 * (checked bit for bit against that formulation in AdamTest).
 */
public final class Adam implements Optimizer {
    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final long size;
    private float[] m;
    private float[] v;
    private long t;

    public Adam(long size, double lr, double beta1, double beta2, double eps) {
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Adam supports at most 2^31-1 parameters, got " + size);
        }
        this.size = size;
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        reset();
    }

    public Adam(long size, double lr) {
        this(size, lr, 0.9, 0.999, 1e-8);
    }

    @Override
    public void reset() {
        m = new float[(int) size];
        v = new float[(int) size];
        t = 0;
    }

    @Override
    public void step(INDArray params, INDArray g) {
        t++;
        float[] p = read(params);
        update(read(g), m, v, t, p, -1f);
        write(params, p);
    }

    /**
     * The change {@link #step} would make to the parameters for gradient {@code g} (the moments and step count it
     * would use), without changing any state: the "lookahead" of HNET's output regulariser.
     */
    public INDArray delta(INDArray g) {
        float[] d = new float[(int) size];
        update(read(g), m.clone(), v.clone(), t + 1, d, -1f);
        return Nd4j.create(d, new long[] {size}, DataType.FLOAT);
    }

    /**
     * Moves the moments {@code m1, v1} by gradient {@code g} (in place) and adds {@code sign * step} for step
     * {@code t1} to {@code out}.
     */
    private void update(float[] g, float[] m1, float[] v1, long t1, float[] out, float sign) {
        if (g.length != m1.length || out.length != m1.length) {
            throw new IllegalArgumentException("Adam for " + m1.length + " parameters got " + g.length
                    + " gradients / " + out.length + " parameters");
        }
        float b1 = (float) beta1;
        float ob1 = (float) (1 - beta1);
        float b2 = (float) beta2;
        float ob2 = (float) (1 - beta2);
        float sqrtBc2 = (float) Math.sqrt(1 - Math.pow(beta2, t1));
        float epsF = (float) eps;
        float scale = (float) (lr / (1 - Math.pow(beta1, t1)));
        for (int i = 0; i < g.length; i++) {
            float gi = g[i];
            float mi = m1[i] * b1 + gi * ob1;
            float vi = v1[i] * b2 + (gi * gi) * ob2;
            m1[i] = mi;
            v1[i] = vi;
            float denom = (float) Math.sqrt(vi) / sqrtBc2 + epsF;
            float step = (mi / denom) * scale;
            out[i] = sign < 0 ? out[i] - step : out[i] + step;
        }
    }

    /** Whether {@code a}'s elements are exactly its float buffer, in order. */
    private static boolean compact(INDArray a) {
        return a.dataType() == DataType.FLOAT && a.offset() == 0 && a.data().length() == a.length()
                && (a.rank() <= 1 || a.isVector() || a.ordering() == 'c') && a.elementWiseStride() == 1;
    }

    private static float[] read(INDArray a) {
        float[] out = new float[(int) a.length()];
        INDArray src = compact(a) ? a : a.castTo(DataType.FLOAT).dup('c');
        src.data().asNioFloat().get(0, out);
        return out;
    }

    private static void write(INDArray a, float[] values) {
        if (compact(a)) {
            a.data().asNioFloat().put(0, values);
        } else {
            a.assign(Nd4j.create(values, a.shape(), DataType.FLOAT));
        }
    }

    @Override
    public void save(String prefix, StateWriter out) throws IOException {
        out.putArray(prefix + "/m", Nd4j.create(m, new long[] {size}, DataType.FLOAT))
                .putArray(prefix + "/v", Nd4j.create(v, new long[] {size}, DataType.FLOAT)).putLong(prefix + "/t", t);
    }

    @Override
    public void load(String prefix, StateReader in) {
        m = in.array(prefix + "/m").castTo(DataType.FLOAT).dup('c').data().asFloat();
        v = in.array(prefix + "/v").castTo(DataType.FLOAT).dup('c').data().asFloat();
        if (m.length != size || v.length != size) {
            throw new IllegalArgumentException(prefix + ": Adam state for " + m.length + " parameters, expected "
                    + size);
        }
        t = in.getLong(prefix + "/t");
    }
}
