package org.cllab.core.nn;

import java.io.IOException;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Stochastic gradient descent with optional (heavy-ball, PyTorch-style) momentum. */
public final class Sgd implements Optimizer {
    private final double lr;
    private final double momentum;
    private final long size;
    private INDArray velocity;

    public Sgd(long size, double lr, double momentum) {
        this.size = size;
        this.lr = lr;
        this.momentum = momentum;
        reset();
    }

    @Override
    public void reset() {
        velocity = Nd4j.zeros(DataType.FLOAT, size);
    }

    @Override
    public void step(INDArray params, INDArray g) {
        if (momentum == 0) {
            params.subi(g.mul(lr));
            return;
        }
        velocity.muli(momentum).addi(g);
        params.subi(velocity.mul(lr));
    }

    @Override
    public void save(String prefix, StateWriter out) throws IOException {
        out.putArray(prefix + "/velocity", velocity);
    }

    @Override
    public void load(String prefix, StateReader in) {
        velocity = in.array(prefix + "/velocity").castTo(DataType.FLOAT).reshape(size);
    }
}
