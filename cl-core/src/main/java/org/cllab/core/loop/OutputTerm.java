package org.cllab.core.loop;

import java.util.List;
import java.util.Objects;
import org.cllab.core.learners.Minibatch;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An extra loss on a model's outputs (logits) for one minibatch, e.g. LwF's distillation: adds its gradient with
 * respect to the logits to {@code dLogits} before the single backward pass and returns its value.
 */
@FunctionalInterface
public interface OutputTerm {
    double add(Minibatch batch, INDArray logits, INDArray dLogits);

    /** The sum of the non-null terms in order, or null if there is none. */
    static OutputTerm sum(List<OutputTerm> terms) {
        List<OutputTerm> present = terms.stream().filter(Objects::nonNull).toList();
        if (present.isEmpty()) {
            return null;
        }
        if (present.size() == 1) {
            return present.get(0);
        }
        return (batch, logits, dLogits) -> {
            double v = 0;
            for (OutputTerm t : present) {
                v += t.add(batch, logits, dLogits);
            }
            return v;
        };
    }
}
