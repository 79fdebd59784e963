package org.cllab.core.parts;

import java.io.IOException;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Synaptic Intelligence (Zenke, Poole, Ganguli 2017). During a task the path integral
 * {@code omega_i += -g_i * delta_theta_i} accumulates with {@code g} the gradient of the task loss (without the SI
 * penalty, as in the paper) and {@code delta_theta} the actual parameter update. At the task's end the importance
 * grows by {@code Omega += omega / ((theta_end - theta_start)^2 + xi)}, the anchor becomes {@code theta_end} and
 * {@code omega} resets. The penalty is {@code c * sum_i Omega_i (theta_i - anchor_i)^2}.
 */
public final class SiImportance {
    private final double c;
    private final double xi;
    private final long size;
    private INDArray omega;
    private INDArray importance;
    private INDArray anchor;
    private INDArray taskStart;
    private boolean consolidated;

    public SiImportance(long size, double c, double xi) {
        this.size = size;
        this.c = c;
        this.xi = xi;
        omega = Nd4j.zeros(DataType.DOUBLE, size);
        importance = Nd4j.zeros(DataType.DOUBLE, size);
        anchor = Nd4j.zeros(DataType.DOUBLE, size);
        taskStart = Nd4j.zeros(DataType.DOUBLE, size);
    }

    /** Marks the start of a task at parameters {@code theta}. */
    public void beginTask(INDArray theta) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            taskStart = theta.castTo(DataType.DOUBLE).reshape(size).dup();
            omega.assign(0);
    
        }
    }

    /** Accumulates one step: {@code taskGradient} is the data-loss gradient used for the update from before to after. */
    public void accumulate(INDArray taskGradient, INDArray before, INDArray after) {
        INDArray delta = after.castTo(DataType.DOUBLE).reshape(size).sub(before.castTo(DataType.DOUBLE).reshape(size));
        omega.subi(taskGradient.castTo(DataType.DOUBLE).reshape(size).mul(delta));
    }

    /** Ends the task at parameters {@code theta}: updates the importance and the anchor. */
    public void endTask(INDArray theta) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray t = theta.castTo(DataType.DOUBLE).reshape(size);
            INDArray d = t.sub(taskStart);
            importance.addi(omega.div(d.mul(d).addi(xi)));
            anchor = t.dup();
            omega.assign(0);
            consolidated = true;
    
        }
    }

    /** Current importance Omega (copy). */
    public INDArray importance() {
        return importance.dup();
    }

    /** Current path integral omega (copy). */
    public INDArray pathIntegral() {
        return omega.dup();
    }

    /** Adds the gradient {@code 2c Omega (theta - anchor)} and returns the penalty value. */
    public double addGradient(INDArray theta, INDArray gradient) {
        if (!consolidated) {
            return 0.0;
        }
        INDArray diff = theta.castTo(DataType.DOUBLE).reshape(size).sub(anchor);
        INDArray w = importance.mul(diff);
        double value = c * w.mul(diff).sumNumber().doubleValue();
        gradient.addi(w.muli(2 * c).castTo(gradient.dataType()).reshape(gradient.shape()));
        return value;
    }

    public void save(String prefix, StateWriter out) throws IOException {
        out.putArray(prefix + "/omega", omega).putArray(prefix + "/importance", importance)
                .putArray(prefix + "/anchor", anchor).putArray(prefix + "/task_start", taskStart)
                .putLong(prefix + "/consolidated", consolidated ? 1 : 0);
    }

    public void load(String prefix, StateReader in) {
        omega = in.array(prefix + "/omega").reshape(size);
        importance = in.array(prefix + "/importance").reshape(size);
        anchor = in.array(prefix + "/anchor").reshape(size);
        taskStart = in.array(prefix + "/task_start").reshape(size);
        consolidated = in.getLong(prefix + "/consolidated") == 1;
    }
}
