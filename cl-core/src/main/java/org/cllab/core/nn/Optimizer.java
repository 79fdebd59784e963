package org.cllab.core.nn;

import java.io.IOException;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Updates a flat parameter vector in place from its gradient. Stateful optimisers checkpoint their moments. */
public interface Optimizer {
    void step(INDArray params, INDArray gradient);

    /** Clears moments and step count (a fresh optimiser, e.g. per task). */
    void reset();

    void save(String prefix, StateWriter out) throws IOException;

    void load(String prefix, StateReader in) throws IOException;
}
