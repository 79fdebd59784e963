package org.cllab.hypernets.contracon;

import java.io.IOException;
import java.util.function.DoubleSupplier;
import org.cllab.core.nn.Optimizer;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * AdamW (Loshchilov &amp; Hutter 2019, PyTorch's formulation: {@code p ← p(1 − lr·wd)}, then the bias-corrected
 * Adam step) or SGD with momentum (PyTorch's: {@code b ← μb + g}, {@code p ← p − lr·b}), with a learning rate read
 * from a schedule at every step. Plain Java loops over float arrays; moments are checkpointed.
 */
final class ScheduledOptimizer implements Optimizer {
    enum Kind { ADAMW, SGD }

    private final Kind kind;
    private final DoubleSupplier lr;
    private final double weightDecay;
    private final double momentum;
    private final int size;
    private float[] m;
    private float[] v;
    private long t;

    ScheduledOptimizer(Kind kind, long size, DoubleSupplier lr, double weightDecay, double momentum) {
        this.kind = kind;
        this.size = Math.toIntExact(size);
        this.lr = lr;
        this.weightDecay = weightDecay;
        this.momentum = momentum;
        reset();
    }

    @Override
    public void reset() {
        m = new float[size];
        v = kind == Kind.ADAMW ? new float[size] : new float[0];
        t = 0;
    }

    @Override
    public void step(INDArray params, INDArray gradient) {
        t++;
        float[] p = params.castTo(DataType.FLOAT).dup().data().asFloat();
        float[] g = gradient.castTo(DataType.FLOAT).dup().data().asFloat();
        double a = lr.getAsDouble();
        if (kind == Kind.ADAMW) {
            double b1 = 0.9;
            double b2 = 0.999;
            double eps = 1e-8;
            double c1 = 1 - Math.pow(b1, t);
            double c2 = Math.sqrt(1 - Math.pow(b2, t));
            float decay = (float) (1 - a * weightDecay);
            for (int i = 0; i < size; i++) {
                p[i] *= decay;
                m[i] = (float) (b1 * m[i] + (1 - b1) * g[i]);
                v[i] = (float) (b2 * v[i] + (1 - b2) * g[i] * g[i]);
                p[i] -= (float) (a / c1 * m[i] / (Math.sqrt(v[i]) / c2 + eps));
            }
        } else {
            for (int i = 0; i < size; i++) {
                float gi = (float) (g[i] + weightDecay * p[i]);
                m[i] = t == 1 ? gi : (float) (momentum * m[i] + gi);
                p[i] -= (float) (a * m[i]);
            }
        }
        params.assign(Nd4j.create(p, params.shape(), DataType.FLOAT).castTo(params.dataType()));
    }

    @Override
    public void save(String prefix, StateWriter out) throws IOException {
        out.putArray(prefix + "/m", Nd4j.create(m, new long[] {m.length}, DataType.FLOAT));
        if (kind == Kind.ADAMW) {
            out.putArray(prefix + "/v", Nd4j.create(v, new long[] {v.length}, DataType.FLOAT));
        }
        out.putLong(prefix + "/t", t);
    }

    @Override
    public void load(String prefix, StateReader in) {
        m = in.array(prefix + "/m").castTo(DataType.FLOAT).data().asFloat();
        v = kind == Kind.ADAMW ? in.array(prefix + "/v").castTo(DataType.FLOAT).data().asFloat() : new float[0];
        t = in.getLong(prefix + "/t");
    }
}
