package org.cllab.core.parts;

import java.io.IOException;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The EWC penalty {@code lambda/2 * sum_t sum_i F_t,i (theta_i - theta*_t,i)^2} (Kirkpatrick et al. 2017) and its
 * online variant (Schwarz et al. 2018; Chaudhry et al. 2018): one running Fisher {@code F <- gamma F + F_t} with a
 * single anchor, the parameters after the latest task.
 *
 * <p>EWC keeps one anchor per task but does not store them separately: with {@code S = sum_t F_t},
 * {@code B = sum_t F_t theta*_t} and {@code C = sum_t sum_i F_t,i theta*_t,i^2}, the penalty is
 * {@code lambda/2 (theta^T S theta - 2 theta^T B + C)} and the gradient {@code lambda (S theta - B)}, exactly equal to
 * the per-task sum and O(P) memory whatever the number of tasks. Computed in double precision.
 */
public final class EwcPenalty {
    /** Which EWC. */
    public enum Kind { EWC, ONLINE }

    private final Kind kind;
    private final double lambda;
    private final double gamma;
    private final long size;
    private INDArray s;
    private INDArray b;
    private double c;
    private int anchors;

    /**
     * @param size   number of parameters
     * @param lambda penalty strength
     * @param gamma  decay of the running Fisher (online only; 1 = no decay)
     */
    public EwcPenalty(Kind kind, long size, double lambda, double gamma) {
        this.kind = kind;
        this.size = size;
        this.lambda = lambda;
        this.gamma = gamma;
        s = Nd4j.zeros(DataType.DOUBLE, size);
        b = Nd4j.zeros(DataType.DOUBLE, size);
    }

    /** Number of anchors consolidated so far (tasks for EWC; 0 or 1 for online EWC). */
    public int anchors() {
        return anchors;
    }

    /** Adds the anchor {@code theta*} with its diagonal Fisher (both flat, length {@code size}). */
    public void consolidate(INDArray anchor, INDArray fisher) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray a = anchor.castTo(DataType.DOUBLE).reshape(size);
            INDArray f = fisher.castTo(DataType.DOUBLE).reshape(size);
            if (kind == Kind.ONLINE) {
                // running Fisher F = gamma F_old + F_t, single anchor = latest parameters
                s.muli(gamma).addi(f);
                b = s.mul(a);
                c = s.mul(a).muli(a).sumNumber().doubleValue();
                anchors = 1;
            } else {
                s.addi(f);
                b.addi(f.mul(a));
                c += f.mul(a).muli(a).sumNumber().doubleValue();
                anchors++;
            }
    
        }
    }

    /** Penalty value at {@code theta}. */
    public double value(INDArray theta) {
        if (anchors == 0) {
            return 0.0;
        }
        INDArray t = theta.castTo(DataType.DOUBLE).reshape(size);
        double quad = s.mul(t).muli(t).sumNumber().doubleValue();
        double lin = b.mul(t).sumNumber().doubleValue();
        return lambda / 2 * (quad - 2 * lin + c);
    }

    /** Adds the penalty gradient {@code lambda (S theta - B)} to {@code gradient} and returns the penalty value. */
    public double addGradient(INDArray theta, INDArray gradient) {
        if (anchors == 0) {
            return 0.0;
        }
        INDArray t = theta.castTo(DataType.DOUBLE).reshape(size);
        INDArray g = s.mul(t).subi(b).muli(lambda);
        gradient.addi(g.castTo(gradient.dataType()).reshape(gradient.shape()));
        return value(theta);
    }

    public void save(String prefix, StateWriter out) throws IOException {
        out.putArray(prefix + "/s", s).putArray(prefix + "/b", b).putDouble(prefix + "/c", c)
                .putLong(prefix + "/anchors", anchors);
    }

    public void load(String prefix, StateReader in) {
        s = in.array(prefix + "/s").reshape(size);
        b = in.array(prefix + "/b").reshape(size);
        c = in.getDouble(prefix + "/c");
        anchors = (int) in.getLong(prefix + "/anchors");
    }
}
