package org.cllab.core.nn;

import java.io.IOException;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Adam (Kingma &amp; Ba 2015) with PyTorch's bias correction and epsilon placement. */
public final class Adam implements Optimizer {
    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final long size;
    private INDArray m;
    private INDArray v;
    private long t;

    public Adam(long size, double lr, double beta1, double beta2, double eps) {
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
        m = Nd4j.zeros(DataType.FLOAT, size);
        v = Nd4j.zeros(DataType.FLOAT, size);
        t = 0;
    }

    @Override
    public void step(INDArray params, INDArray g) {
        t++;
        m.muli(beta1).addi(g.mul(1 - beta1));
        v.muli(beta2).addi(g.mul(g).muli(1 - beta2));
        params.subi(correctedStep(m, v, t));
    }

    /**
     * The change {@link #step} would make to the parameters for gradient {@code g} (the moments and step count it
     * would use), without changing any state: the "lookahead" of HNET's output regulariser.
     */
    public INDArray delta(INDArray g) {
        INDArray m1 = m.mul(beta1).addi(g.mul(1 - beta1));
        INDArray v1 = v.mul(beta2).addi(g.mul(g).muli(1 - beta2));
        return correctedStep(m1, v1, t + 1).negi();
    }

    /** {@code lr * m_hat / (sqrt(v_hat) + eps)} for moments {@code m1, v1} after step {@code t1} (a new array). */
    private INDArray correctedStep(INDArray m1, INDArray v1, long t1) {
        double bc1 = 1 - Math.pow(beta1, t1);
        double bc2 = 1 - Math.pow(beta2, t1);
        INDArray denom = Transforms.sqrt(v1, true).divi(Math.sqrt(bc2)).addi(eps);
        return m1.div(denom).muli(lr / bc1);
    }

    @Override
    public void save(String prefix, StateWriter out) throws IOException {
        out.putArray(prefix + "/m", m).putArray(prefix + "/v", v).putLong(prefix + "/t", t);
    }

    @Override
    public void load(String prefix, StateReader in) {
        m = in.array(prefix + "/m").castTo(DataType.FLOAT).reshape(size);
        v = in.array(prefix + "/v").castTo(DataType.FLOAT).reshape(size);
        t = in.getLong(prefix + "/t");
    }
}
